"""Signing in and up (through allauth, with emailed codes), the MFA rule, and people's own account pages."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from juries.models import Invitation, Membership, Role, User

CODE = re.compile(r"^\s*([A-Z0-9]{4,8}(?:-[A-Z0-9]{3,8})?)\s*$", re.MULTILINE)


def code_from(message):
    match = CODE.search(message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def invitation(jury, facilitator):
    return Invitation.objects.create(
        jury=jury, email="newcomer@example.org", role=Role.JUROR, invited_by=facilitator
    )


def sign_in_with_code(client, email, mailoutbox):
    response = client.post(reverse("account_login"), {"login": email})
    assert response.status_code == 302
    response = client.post(response.url, {"code": code_from(mailoutbox[-1])})
    return response


def test_signup_is_closed_without_an_invitation(client, db):
    response = client.get(reverse("account_signup"))
    assert "Sign up closed" in response.content.decode() or response.status_code == 200
    client.post(
        reverse("account_signup"), {"email": "stranger@example.org", "display_name": "Stranger"}
    )
    assert not User.objects.filter(email="stranger@example.org").exists()


def test_an_invited_person_creates_an_account_confirms_by_code_and_lands_on_the_jury_home(
    client, invitation, mailoutbox
):
    page = client.get(invitation.get_absolute_url())
    assert "Create your account" in page.content.decode()

    response = client.post(
        reverse("account_signup"), {"email": "newcomer@example.org", "display_name": "Newcomer"}
    )
    assert response.status_code == 302
    response = client.post(response.url, {"code": code_from(mailoutbox[-1])}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("juries:home", args=[invitation.jury.slug])
    user = User.objects.get(email="newcomer@example.org")
    assert user.display_name == "Newcomer"
    assert not user.has_usable_password()
    assert Membership.objects.get(jury=invitation.jury, user=user).role == Role.JUROR
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert "What to do next" in response.content.decode()


def test_signing_up_with_another_address_than_the_invited_one_is_refused_with_a_reason(
    client, invitation
):
    client.get(invitation.get_absolute_url())
    response = client.post(
        reverse("account_signup"), {"email": "someone-else@example.org", "display_name": "X"}
    )

    assert response.status_code == 200
    assert "Your invitation was sent to newcomer@example.org" in response.content.decode()
    assert not User.objects.filter(email="someone-else@example.org").exists()


def test_an_existing_person_signs_in_with_a_code_and_joins(
    client, invitation, make_person, mailoutbox
):
    person = make_person("newcomer@example.org", "Already Here")
    page = client.get(invitation.get_absolute_url())
    assert "Sign in to accept" in page.content.decode()

    response = sign_in_with_code(client, "newcomer@example.org", mailoutbox)

    assert response.status_code == 302
    assert Membership.objects.filter(jury=invitation.jury, user=person, role=Role.JUROR).exists()


def test_signing_in_does_not_double_the_full_stop_of_a_name_that_ends_with_one(
    client, make_person, mailoutbox
):
    make_person("grace@example.org", "Grace O.")

    response = sign_in_with_code(client, "grace@example.org", mailoutbox)

    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Successfully signed in as Grace O." in messages


def test_someone_signed_in_as_another_person_is_told_the_invitation_is_not_theirs(
    client, invitation, outsider
):
    client.force_login(outsider)
    page = client.get(invitation.get_absolute_url())
    assert "sent to a different email address" in page.content.decode()
    client.post(invitation.get_absolute_url())
    assert not Membership.objects.filter(jury=invitation.jury, user=outsider).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"revoked_at": timezone.now()}, "This invitation was withdrawn"),
        ({"accepted_at": timezone.now()}, "This invitation has already been used"),
        (
            {"expires_at": timezone.now() - timezone.timedelta(days=1)},
            "This invitation has expired",
        ),
    ],
)
def test_a_used_expired_or_withdrawn_link_says_so(client, invitation, change, message):
    Invitation.objects.filter(pk=invitation.pk).update(**change)
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 410
    assert message in response.content.decode()


def test_an_unknown_invitation_link_says_it_was_not_found(client, db):
    response = client.get(reverse("juries:invitation", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "We could not find this invitation" in response.content.decode()


def test_sign_in_does_not_reveal_whether_an_address_has_an_account(client, db, mailoutbox):
    response = client.post(reverse("account_login"), {"login": "nobody@example.org"})
    assert response.status_code == 302  # the same "check your email" step as for a real account
    assert not User.objects.filter(email="nobody@example.org").exists()


def test_facilitator_without_two_factor_is_sent_to_set_it_up(client, settings, jury, facilitator):
    settings.REQUIRE_MFA_FOR_FACILITATORS = True
    client.force_login(facilitator)
    response = client.get(reverse("juries:dashboard", args=[jury.slug]))
    assert response.status_code == 302
    assert response.url == reverse("mfa_index")


def test_facilitator_with_two_factor_reaches_the_dashboard(client, settings, jury, facilitator):
    settings.REQUIRE_MFA_FOR_FACILITATORS = True
    Authenticator.objects.create(
        user=facilitator, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    client.force_login(facilitator)
    assert client.get(reverse("juries:dashboard", args=[jury.slug])).status_code == 200


def test_oversight_member_without_two_factor_is_sent_to_set_it_up(
    client, settings, jury, oversight
):
    settings.REQUIRE_MFA_FOR_FACILITATORS = True
    client.force_login(oversight)
    response = client.get(reverse("juries:home", args=[jury.slug]))
    assert response.status_code == 302
    assert response.url == reverse("mfa_index")


def test_oversight_member_with_two_factor_reaches_the_jury(client, settings, jury, oversight):
    settings.REQUIRE_MFA_FOR_FACILITATORS = True
    Authenticator.objects.create(user=oversight, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(oversight)
    assert client.get(reverse("juries:home", args=[jury.slug])).status_code == 200


def test_jurors_are_not_required_to_set_up_two_factor(client, settings, jury, juror):
    settings.REQUIRE_MFA_FOR_FACILITATORS = True
    client.force_login(juror)
    assert client.get(reverse("juries:home", args=[jury.slug])).status_code == 200


def test_person_changes_their_display_name_and_time_zone(client, juror):
    client.force_login(juror)
    response = client.post(
        reverse("juries:profile"), {"display_name": "Jo B.", "timezone": "Europe/Dublin"}
    )
    assert response.status_code == 302
    juror.refresh_from_db()
    assert (juror.display_name, juror.timezone) == ("Jo B.", "Europe/Dublin")


def test_a_blank_display_name_is_refused_and_what_was_typed_is_kept(client, juror):
    client.force_login(juror)
    response = client.post(
        reverse("juries:profile"), {"display_name": "  ", "timezone": "Europe/Dublin"}
    )
    page = response.content.decode()
    assert "Enter the name other members should see" in page
    assert 'value="Europe/Dublin" selected' in page


def test_deleting_an_account_needs_confirmation_then_signs_out_and_shows_former_juror(
    client, juror
):
    client.force_login(juror)
    refused = client.post(reverse("juries:delete-account"), {})
    assert "Tick the box" in refused.content.decode()
    juror.refresh_from_db()
    assert juror.is_active

    client.post(reverse("juries:delete-account"), {"confirm": "on"})
    juror.refresh_from_db()
    assert not juror.is_active
    assert juror.public_name == "Former juror"
    assert "_auth_user_id" not in client.session


def test_person_downloads_their_data_as_json(client, juror, jury):
    client.force_login(juror)
    response = client.get(reverse("juries:download-data"))
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["profile"]["email"] == juror.email
    assert response.json()["memberships"][0]["jury"] == jury.title


def test_the_data_download_includes_the_email_choice_and_whats_new(
    client, juror, jury, facilitator
):
    from juries import stages
    from juries.models import EmailChoice, Membership, Stage

    Membership.objects.filter(jury=jury, user=juror).update(emails=EmailChoice.NEEDED)
    stages.change_stage(jury=jury, to_stage=Stage.SELECTION, by=facilitator)
    client.force_login(juror)
    data = client.get(reverse("juries:download-data")).json()
    assert data["memberships"][0]["emails"] == "needed"
    (news,) = data["whats_new"]
    assert news["jury"] == jury.title and news["kind"] == "stage.changed"
    assert news["read"] is None


def test_the_data_download_includes_what_the_person_gave_when_volunteering(
    client, juror, other_juror, jury
):
    from juries.models import Answer, Category, CategoryValue, Volunteer

    category = Category.objects.create(jury=jury, name="Age", question="How old are you?")
    value = CategoryValue.objects.create(category=category, label="30 to 44")
    mine = Volunteer.objects.create(
        jury=jury, name="Jo Bloggs", email=juror.email.upper(), source="form"
    )
    Answer.objects.create(volunteer=mine, category=category, value=value)
    Volunteer.objects.create(jury=jury, name="Kim", email=other_juror.email, source="form")
    client.force_login(juror)

    registrations = client.get(reverse("juries:download-data")).json()["registrations_of_interest"]

    assert registrations == [
        {
            "jury": jury.title,
            "name": "Jo Bloggs",
            "email": juror.email,
            "access_needs": "",
            "answers": {"Age": "30 to 44"},
            "registered": mine.registered_at.isoformat(),
            "confirmed": None,
        }
    ]


def test_public_page_names_only_jurors_who_chose_to_be_named(client, jury, juror, other_juror):
    jury.visibility = "public"
    jury.save()
    Membership.objects.filter(user=juror).update(show_name_publicly=True)
    page = client.get(reverse("juries:public", args=[jury.slug])).content.decode()
    assert "Jo" in page
    assert "Kim" not in page
    assert "2 jurors" in page
    assert juror.email not in page


def test_juror_chooses_to_show_their_name(client, jury, juror):
    client.force_login(juror)
    client.post(reverse("juries:name-visibility", args=[jury.slug]), {"show_name_publicly": "on"})
    assert Membership.objects.get(user=juror).show_name_publicly


def test_observer_sees_the_dashboard_without_email_addresses(client, jury, observer, juror):
    client.force_login(observer)
    page = client.get(reverse("juries:dashboard", args=[jury.slug])).content.decode()
    assert "Jo" in page
    assert juror.email not in page


def test_facilitator_sees_members_email_addresses(client, jury, facilitator, juror):
    client.force_login(facilitator)
    page = client.get(reverse("juries:dashboard", args=[jury.slug])).content.decode()
    assert juror.email in page


def test_sittings_show_in_the_persons_own_time_zone(client, jury, juror):
    from datetime import UTC, datetime

    jury.sittings.create(
        title="Evening sitting",
        starts_at=datetime(2030, 1, 15, 18, 30, tzinfo=UTC),
        ends_at=datetime(2030, 1, 15, 20, 30, tzinfo=UTC),
    )
    User.objects.filter(pk=juror.pk).update(timezone="Asia/Tokyo")
    client.force_login(juror)
    page = client.get(reverse("juries:sitting-list", args=[jury.slug])).content.decode()
    assert "Wednesday 16 January 2030, 03:30" in page


def test_juror_hides_their_name_again_by_unticking_the_box(client, jury, juror):
    Membership.objects.filter(user=juror).update(show_name_publicly=True)
    client.force_login(juror)
    client.post(reverse("juries:name-visibility", args=[jury.slug]), {})
    assert not Membership.objects.get(user=juror).show_name_publicly


def test_the_only_facilitator_of_a_jury_cannot_delete_their_account(client, jury, facilitator):
    client.force_login(facilitator)
    response = client.post(reverse("juries:delete-account"), {"confirm": "on"})
    assert "You are the only facilitator of" in response.content.decode()
    facilitator.refresh_from_db()
    assert facilitator.is_active


def test_an_unknown_address_is_told_accounts_come_from_invitations(client, db, mailoutbox):
    client.post(reverse("account_login"), {"login": "nobody@example.org"})
    assert len(mailoutbox) == 1
    assert "there is no account with this address" in mailoutbox[0].body
    assert "invitation" in mailoutbox[0].body
