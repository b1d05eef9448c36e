"""Staff with the admin, tried as an insider would: nothing there lets them become someone else,
and nothing there removes or changes what the product's own pages would have recorded."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core import signing
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from deliberate.models import Post, Thread
from juries.models import AuditEntry, Invitation, Jury, JuryEvent, Membership, Role, Sitting, User
from tests.conftest import make_user
from voting.models import Dissent, DissentSigner


@pytest.fixture
def staff(db):
    user = make_user("admin@example.org", "Admin")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def juror_browser(juror):
    """The juror's own browser, signed in, with a page opened (so the session is tracked)."""
    browser = Client()
    browser.force_login(juror)
    assert browser.get(reverse("juries:profile")).status_code == 200
    return browser


def person_form(user, **changes):
    """What the browser posts from a person's admin page, with `changes` typed over it."""
    data = {
        "email": user.email,
        "display_name": user.display_name,
        "timezone": user.timezone,
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def signed_out(browser):
    response = browser.get(reverse("juries:profile"))
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))


# --- the address a person signs in with ------------------------------------------------------


def test_the_person_form_ignores_a_new_email_address_typed_into_it(admin_client, juror):
    url = reverse("admin:juries_user_change", args=[juror.pk])
    response = admin_client.post(url, person_form(juror, email="mallory@example.org"))

    assert response.status_code == 302
    juror.refresh_from_db()
    assert juror.email == "jo@example.org"
    assert not EmailAddress.objects.filter(email="mallory@example.org").exists()


def ask_for_change(admin_client, person, new_email, capture):
    """Staff send the admin's "Ask to change the email address" form, commit callbacks run."""
    with capture(execute=True):
        return admin_client.post(
            reverse("admin:juries_user_change_email", args=[person.pk]), {"email": new_email}
        )


LINK = re.compile(r"https?://\S+/account/confirm-address/(\S+)/")


def link_in(message):
    match = LINK.search(message.body)
    assert match, message.body
    return reverse("juries:confirm-address-change", args=[match.group(1)])


def tasks_table():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {DBTaskResult._meta.db_table}")
        return repr(cursor.fetchall())


def code_sent_to(address, mailoutbox):
    """Ask allauth for a sign-in code for `address` as anyone could; the code, if one came."""
    from tests.juries.test_sign_in_and_accounts import CODE

    Client().post(reverse("account_login"), {"login": address})
    for message in mailoutbox:
        if message.to == [address] and CODE.search(message.body):
            return CODE.search(message.body).group(1)
    return None


def test_staff_asking_for_a_new_address_changes_nothing_and_sends_a_link_to_the_current_one(
    admin_client, staff, jury, juror, juror_browser, mailoutbox, django_capture_on_commit_callbacks
):
    response = ask_for_change(
        admin_client, juror, "Mallory@Example.org", django_capture_on_commit_callbacks
    )

    assert response.status_code == 302
    juror.refresh_from_db()
    assert juror.email == "jo@example.org"
    assert list(EmailAddress.objects.filter(user=juror).values_list("email", flat=True)) == [
        "jo@example.org"
    ]
    assert not signed_out(juror_browser)
    [message] = mailoutbox
    assert message.to == ["jo@example.org"]
    assert "mallory@example.org" in message.body and "staff" in message.body
    assert "/account/confirm-address/" in message.body
    entry = AuditEntry.objects.get(action="account.email-change-request")
    assert (entry.jury, entry.actor) == (jury, staff)
    assert "example.org" not in entry.summary
    assert not AuditEntry.objects.filter(action="account.email-change").exists()
    # The link went at once: neither it nor an address waits in the task table.
    table = tasks_table()
    assert "confirm-address" not in table and "example.org" not in table
    # Staff who typed in an address of their own get no way in through it.
    assert code_sent_to("mallory@example.org", mailoutbox) is None
    assert not User.objects.filter(email__iexact="mallory@example.org").exists()


def test_opening_the_link_only_asks_and_changes_nothing(
    client, admin_client, juror, mailoutbox, django_capture_on_commit_callbacks
):
    ask_for_change(admin_client, juror, "jo.new@example.org", django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[-1])

    page = client.get(link)
    client.get(link)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Change the address you sign in with to jo.new@example.org?" in text
    assert 'method="post"' in text and "csrfmiddlewaretoken" in text
    juror.refresh_from_db()
    assert juror.email == "jo@example.org"
    assert not AuditEntry.objects.filter(action="account.email-change").exists()


def test_the_person_confirming_the_link_changes_the_address_records_signs_out_and_tells_the_old(
    admin_client, jury, juror, juror_browser, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.juries.test_sign_in_and_accounts import sign_in_with_code

    ask_for_change(admin_client, juror, "jo.new@example.org", django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[-1])
    old_session = juror_browser.session.session_key
    # Confirmed from a browser that is not signed in: they may have lost their devices.
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(link)

    assert response.status_code == 200
    assert "Your email address has been changed" in response.content.decode()
    juror.refresh_from_db()
    assert juror.email == "jo.new@example.org"
    address = EmailAddress.objects.get(user=juror)
    assert (address.email, address.primary, address.verified) == ("jo.new@example.org", True, False)
    entry = AuditEntry.objects.get(action="account.email-change")
    assert (entry.jury, entry.actor) == (jury, juror)
    assert "example.org" not in entry.summary
    assert signed_out(juror_browser)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_session WHERE session_key = %s", [old_session])
        assert cursor.fetchone()[0] == 0
    [notice] = [m for m in mailoutbox if m.to == ["jo@example.org"]][1:]
    assert "staff" in notice.body and "jo.new@example.org" not in notice.body
    assert "jo@example.org" not in tasks_table()
    # Now, and only now, a sign-in code goes to the new address.
    browser = Client()
    sign_in_with_code(browser, "jo.new@example.org", mailoutbox)
    assert mailoutbox[-1].to == ["jo.new@example.org"]
    assert browser.get(reverse("juries:profile")).status_code == 200
    assert EmailAddress.objects.get(user=juror).verified
    assert AuditEntry.objects.filter(action="account.email-change").count() == 1


def test_confirming_from_a_browser_signed_in_as_the_person_signs_that_browser_out_too(
    admin_client, juror, juror_browser, mailoutbox, django_capture_on_commit_callbacks
):
    ask_for_change(admin_client, juror, "jo.new@example.org", django_capture_on_commit_callbacks)

    response = juror_browser.post(link_in(mailoutbox[-1]))

    assert response.status_code == 200
    assert "Your email address has been changed" in response.content.decode()
    assert signed_out(juror_browser)


def refused(response, status):
    text = response.content.decode()
    return (
        response.status_code == status
        and "This link cannot be used" in text
        and "jo.new@example.org" not in text
        and "jo@example.org" not in text
    )


def unchanged(juror):
    juror.refresh_from_db()
    return (
        juror.email == "jo@example.org"
        and not AuditEntry.objects.filter(action="account.email-change").exists()
    )


def test_a_tampered_link_is_refused_with_a_clear_page_and_changes_nothing(
    client, admin_client, juror, mailoutbox, django_capture_on_commit_callbacks
):
    ask_for_change(admin_client, juror, "jo.new@example.org", django_capture_on_commit_callbacks)
    token = link_in(mailoutbox[-1]).rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    forged = signing.dumps({"u": juror.pk, "e": "mallory@example.org", "h": "x"}, salt="other")

    for bad in (tampered, forged, "abc", "x" * 500):
        url = reverse("juries:confirm-address-change", args=[bad])
        assert refused(client.get(url), 400)
        assert refused(client.post(url), 400)

    assert unchanged(juror)


def test_an_expired_link_is_refused_and_changes_nothing(
    client, admin_client, juror, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    four_days_ago = signing.b62_encode(int(time.time()) - 4 * 24 * 3600)
    with monkeypatch.context() as patch:
        patch.setattr(signing.TimestampSigner, "timestamp", lambda self: four_days_ago)
        ask_for_change(
            admin_client, juror, "jo.new@example.org", django_capture_on_commit_callbacks
        )
    link = link_in(mailoutbox[-1])

    assert refused(client.get(link), 410)
    response = client.post(link)

    assert refused(response, 410)
    assert "expired" in response.content.decode()
    assert unchanged(juror)


def test_a_link_works_once(
    client, admin_client, juror, mailoutbox, django_capture_on_commit_callbacks
):
    ask_for_change(admin_client, juror, "jo.new@example.org", django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[-1])
    client.post(link)

    assert refused(client.get(link), 410)
    assert refused(client.post(link), 410)
    juror.refresh_from_db()
    assert juror.email == "jo.new@example.org"
    assert AuditEntry.objects.filter(action="account.email-change").count() == 1


def test_a_link_stops_working_once_the_address_changes_another_way_or_is_taken(
    client, admin_client, juror, other_juror, mailoutbox, django_capture_on_commit_callbacks
):
    ask_for_change(admin_client, juror, "jo.new@example.org", django_capture_on_commit_callbacks)
    first = link_in(mailoutbox[-1])
    ask_for_change(admin_client, juror, "jo.other@example.org", django_capture_on_commit_callbacks)
    second = link_in(mailoutbox[-1])
    User.objects.filter(pk=other_juror.pk).update(email="jo.other@example.org")
    EmailAddress.objects.filter(user=other_juror).update(email="jo.other@example.org")

    assert refused(client.post(second), 410)  # the new address is someone else's by now
    client.post(first)
    juror.refresh_from_db()
    assert juror.email == "jo.new@example.org"
    assert refused(client.post(second), 410)  # the address it was sent to is no longer theirs


def test_a_link_for_another_person_changes_only_that_person_and_needs_their_current_address(
    client, admin_client, juror, other_juror, mailoutbox, django_capture_on_commit_callbacks
):
    ask_for_change(
        admin_client, other_juror, "kim.new@example.org", django_capture_on_commit_callbacks
    )
    token = link_in(mailoutbox[-1]).rstrip("/").rsplit("/", 1)[1]
    payload = signing.loads(token, salt="juries.addresses.confirm-change")
    # Someone who could sign links (they cannot: the key is secret) still needs the hash of the
    # current address of the person they aim at; Kim's hash does not open Jo's account.
    aimed = signing.dumps(
        {**payload, "u": juror.pk}, salt="juries.addresses.confirm-change", compress=True
    )

    assert refused(client.post(reverse("juries:confirm-address-change", args=[aimed])), 410)
    assert unchanged(juror)
    other_juror.refresh_from_db()
    assert other_juror.email == "kim@example.org"


def test_the_page_does_nothing_for_a_signed_in_person_without_a_valid_link(
    client, admin_client, juror, other_juror, mailoutbox, django_capture_on_commit_callbacks
):
    ask_for_change(admin_client, juror, "jo.new@example.org", django_capture_on_commit_callbacks)
    token = link_in(mailoutbox[-1]).rstrip("/").rsplit("/", 1)[1]
    client.force_login(other_juror)

    response = client.post(reverse("juries:confirm-address-change", args=[token[:-3] + "abc"]))

    assert refused(response, 400)
    assert unchanged(juror)
    assert not signed_out(client)


def test_a_deleted_account_cannot_be_moved_by_an_old_link(
    client, admin_client, staff, juror, mailoutbox, django_capture_on_commit_callbacks
):
    from juries.accounts import delete_account

    ask_for_change(admin_client, juror, "jo.new@example.org", django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[-1])
    delete_account(user=juror, by=staff)

    assert refused(client.post(link), 410)
    assert not User.objects.filter(email="jo.new@example.org").exists()


def test_only_staff_allowed_to_change_people_may_ask_for_a_new_address(
    client, juror, other_juror, mailoutbox
):
    url = reverse("admin:juries_user_change_email", args=[juror.pk])
    client.force_login(other_juror)
    assert client.post(url, {"email": "kim.two@example.org"}).status_code == 302  # to sign-in
    other_juror.is_staff = True
    other_juror.save()
    other_juror.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(other_juror)

    assert client.post(url, {"email": "kim.two@example.org"}).status_code == 403
    assert not mailoutbox
    assert not AuditEntry.objects.filter(action="account.email-change-request").exists()


def test_only_a_superuser_may_ask_for_a_new_address_for_staff(
    admin_client, staff, juror, other_juror, mailoutbox
):
    colleague = make_user("colleague@example.org", "Colleague")
    colleague.is_staff = True
    colleague.save()
    colleague.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    other_juror.is_staff = True
    other_juror.save()
    client = Client()
    client.force_login(colleague)

    for target in (other_juror, staff):  # another member of staff, a superuser
        url = reverse("admin:juries_user_change_email", args=[target.pk])
        assert client.get(url).status_code == 403
        response = client.post(url, {"email": "colleague.two@example.org"})
        assert response.status_code == 403
        assert "Only a superuser may ask" in response.content.decode()
    assert not mailoutbox
    assert not AuditEntry.objects.filter(action="account.email-change-request").exists()
    # A juror, yes; and a superuser may ask for staff too.
    juror_url = reverse("admin:juries_user_change_email", args=[juror.pk])
    assert client.post(juror_url, {"email": "jo.new@example.org"}).status_code == 302
    staff_url = reverse("admin:juries_user_change_email", args=[other_juror.pk])
    assert admin_client.post(staff_url, {"email": "kim.new@example.org"}).status_code == 302
    assert AuditEntry.objects.filter(action="account.email-change-request").count() == 2


def test_the_ask_page_of_an_unknown_person_is_not_found(admin_client, juror):
    for bad in ("abc", "999999", "1/../2"):
        assert admin_client.get(f"/admin/juries/user/{bad}/email/").status_code == 404


def test_the_ask_page_says_what_to_do_when_the_person_lost_their_address(admin_client, juror):
    page = admin_client.get(reverse("admin:juries_user_change_email", args=[juror.pk]))

    text = page.content.decode()
    assert "invite the new address to the jury" in text


def test_an_address_another_account_uses_is_refused_with_a_reason_and_nothing_is_sent(
    admin_client, juror, other_juror, mailoutbox
):
    response = admin_client.post(
        reverse("admin:juries_user_change_email", args=[juror.pk]), {"email": "KIM@example.org"}
    )

    assert response.status_code == 200
    assert "Another account already uses that address." in response.content.decode()
    juror.refresh_from_db()
    assert juror.email == "jo@example.org"
    assert not AuditEntry.objects.filter(action__startswith="account.email-change").exists()
    assert not mailoutbox


def test_allauths_address_admin_only_looks(admin_client, juror):
    address = EmailAddress.objects.get(user=juror)
    change = reverse("admin:account_emailaddress_change", args=[address.pk])

    assert admin_client.get(reverse("admin:account_emailaddress_add")).status_code == 403
    admin_client.post(change, {"user": juror.pk, "email": "mallory@example.org", "verified": "on"})
    response = admin_client.post(
        reverse("admin:account_emailaddress_changelist"),
        {"action": "make_verified", "_selected_action": [address.pk]},
    )

    assert EmailAddress.objects.get(pk=address.pk).email == "jo@example.org"
    assert response.status_code in (200, 302)
    assert not EmailAddress.objects.filter(email="mallory@example.org").exists()


def test_staff_cannot_set_a_password_for_someone(admin_client, juror):
    admin_client.post(
        f"/admin/juries/user/{juror.pk}/password/",
        {"password1": "correct horse battery", "password2": "correct horse battery"},
    )

    juror.refresh_from_db()
    assert not juror.has_usable_password()


def test_the_admin_shows_no_second_factor_secret_and_no_session_key(
    admin_client, juror, juror_browser
):
    factor = Authenticator.objects.create(
        user=juror, type=Authenticator.Type.TOTP, data={"secret": "SECRETSEED"}
    )
    session = UserSession.objects.get(user=juror)

    factor_page = admin_client.get(reverse("admin:mfa_authenticator_change", args=[factor.pk]))
    session_page = admin_client.get(
        reverse("admin:usersessions_usersession_change", args=[session.pk])
    )

    assert factor_page.status_code == session_page.status_code == 200
    assert "SECRETSEED" not in factor_page.content.decode()
    assert session.session_key not in session_page.content.decode()
    assert admin_client.get(reverse("admin:mfa_authenticator_add")).status_code == 403


def test_staff_end_a_session_in_the_admin_and_it_is_recorded(
    admin_client, staff, juror, juror_browser
):
    session = UserSession.objects.get(user=juror)

    admin_client.post(
        reverse("admin:usersessions_usersession_delete", args=[session.pk]), {"post": "yes"}
    )

    assert signed_out(juror_browser)
    assert AuditEntry.objects.get(action="account.admin-end-session").actor == staff


# --- staff rights ----------------------------------------------------------------------------


def test_staff_who_are_not_superusers_cannot_give_themselves_more_rights(client, jury, juror):
    clerk = make_user("clerk@example.org", "Clerk")
    clerk.is_staff = True
    clerk.save()
    clerk.user_permissions.add(*Permission.objects.filter(codename__endswith="_user"))
    client.force_login(clerk)

    client.post(
        reverse("admin:juries_user_change", args=[clerk.pk]),
        person_form(clerk, is_staff="on", is_superuser="on"),
    )

    clerk.refresh_from_db()
    assert not clerk.is_superuser


def test_staff_who_are_not_superusers_cannot_give_a_group_of_theirs_more_rights(client, db):
    from django.contrib.auth.models import Group

    clerks = Group.objects.create(name="Clerks")
    clerk = make_user("clerk@example.org", "Clerk")
    clerk.is_staff = True
    clerk.save()
    clerk.groups.add(clerks)
    clerk.user_permissions.add(*Permission.objects.filter(codename__endswith="_group"))
    client.force_login(clerk)

    response = client.post(
        reverse("admin:auth_group_change", args=[clerks.pk]),
        {"name": "Clerks", "permissions": list(Permission.objects.values_list("pk", flat=True))},
    )

    assert response.status_code == 403
    assert not clerks.permissions.exists()


def test_staff_search_signed_in_devices_by_address(admin_client, juror, juror_browser):
    url = reverse("admin:usersessions_usersession_changelist")

    response = admin_client.get(url, {"q": "jo@example.org"})

    assert response.status_code == 200
    assert "1 user session" in response.content.decode()


def test_deactivating_someone_in_the_admin_signs_them_out_and_is_recorded(
    admin_client, staff, juror, juror_browser
):
    data = person_form(juror)
    del data["is_active"]

    admin_client.post(reverse("admin:juries_user_change", args=[juror.pk]), data)

    juror.refresh_from_db()
    assert not juror.is_active
    assert not UserSession.objects.filter(user=juror).exists()
    assert signed_out(juror_browser)
    assert AuditEntry.objects.get(action="account.admin-access").actor == staff


# --- roles and memberships -------------------------------------------------------------------


def test_a_role_changed_in_the_admin_goes_through_the_service_and_reaches_open_pages(
    admin_client, staff, jury, juror
):
    membership = Membership.objects.get(user=juror)

    admin_client.post(
        reverse("admin:juries_membership_change", args=[membership.pk]),
        {"role": Role.OBSERVER, "show_name_publicly": "on", "user": 999, "jury": 999},
    )

    membership.refresh_from_db()
    assert (membership.role, membership.user, membership.jury) == (Role.OBSERVER, juror, jury)
    assert not membership.show_name_publicly  # the person's own choice, not staff's
    assert AuditEntry.objects.get(action="membership.role").actor == staff
    event = JuryEvent.objects.filter(jury=jury, kind="member.role").get()
    assert event.data["member"] == juror.pk


def test_the_only_facilitator_cannot_be_made_a_juror_or_removed_in_the_admin(
    admin_client, jury, facilitator
):
    membership = Membership.objects.get(user=facilitator)

    response = admin_client.post(
        reverse("admin:juries_membership_change", args=[membership.pk]), {"role": Role.JUROR}
    )
    assert "the only facilitator" in response.content.decode()
    admin_client.post(
        reverse("admin:juries_membership_delete", args=[membership.pk]), {"post": "yes"}
    )

    membership.refresh_from_db()
    assert membership.role == Role.FACILITATOR


def test_a_membership_added_in_the_admin_is_recorded(admin_client, staff, jury, outsider):
    admin_client.post(
        reverse("admin:juries_membership_add"),
        {"user": outsider.pk, "jury": jury.pk, "role": Role.OVERSIGHT},
    )

    assert Membership.objects.get(user=outsider).role == Role.OVERSIGHT
    assert AuditEntry.objects.get(action="membership.add").actor == staff


# --- deleting a person -----------------------------------------------------------------------


@pytest.fixture
def jurors_contributions(jury, juror):
    thread = Thread.objects.create(jury=jury, title="Fairness")
    post = Post.objects.create(thread=thread, author=juror, body="I disagree.")
    dissent = Dissent.objects.create(jury=jury, text="We dissent.", written_by=juror)
    signature = DissentSigner.objects.create(dissent=dissent, juror=juror)
    return post, signature


def test_deleting_a_person_in_the_admin_runs_account_deletion_and_keeps_their_contributions(
    admin_client, staff, jury, juror, juror_browser, jurors_contributions
):
    post, signature = jurors_contributions

    response = admin_client.post(
        reverse("admin:juries_user_delete", args=[juror.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    juror.refresh_from_db()
    assert juror.is_deleted and not juror.is_active
    assert juror.email != "jo@example.org" and juror.display_name == ""
    assert Post.objects.filter(pk=post.pk, author=juror).exists()
    assert DissentSigner.objects.filter(pk=signature.pk, juror=juror).exists()
    assert Membership.objects.filter(user=juror, jury=jury).exists()
    assert signed_out(juror_browser)
    entry = AuditEntry.objects.get(action="account.delete")
    assert entry.actor == staff and entry.summary == "Staff deleted a member's account."
    assert not LogEntry.objects.filter(object_repr__contains="Jo").exists()


def test_deleting_people_with_the_bulk_action_runs_account_deletion_for_each(
    admin_client, jury, juror, other_juror, jurors_contributions
):
    admin_client.post(
        reverse("admin:juries_user_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [juror.pk, other_juror.pk],
            "post": "yes",
        },
    )

    assert (
        User.objects.filter(pk__in=[juror.pk, other_juror.pk], deleted_at__isnull=False).count()
        == 2
    )
    assert Post.objects.filter(author=juror).count() == 1
    assert Membership.objects.filter(user__in=[juror, other_juror]).count() == 2


def test_the_admin_says_what_deleting_a_person_does_instead_of_listing_a_cascade(
    admin_client, juror, jurors_contributions
):
    page = admin_client.get(reverse("admin:juries_user_delete", args=[juror.pk])).content.decode()

    assert "statements of dissent they signed stay" in page
    assert "I disagree." not in page


def test_deleting_the_only_facilitator_in_the_admin_is_refused_with_a_reason(
    admin_client, jury, facilitator
):
    url = reverse("admin:juries_user_delete", args=[facilitator.pk])

    page = admin_client.get(url).content.decode()
    admin_client.post(url, {"post": "yes"})

    assert "the only facilitator of “Should the council use fraud-risk scores?”" in page
    facilitator.refresh_from_db()
    assert not facilitator.is_deleted


# --- juries, sittings and invitations --------------------------------------------------------


@pytest.fixture
def sitting(jury):
    start = timezone.now() + timezone.timedelta(days=3)
    return Sitting.objects.create(
        jury=jury, title="First", starts_at=start, ends_at=start + timezone.timedelta(hours=2)
    )


@pytest.fixture
def invitation(jury, facilitator):
    return Invitation.objects.create(
        jury=jury, email="sam@example.org", role=Role.JUROR, invited_by=facilitator
    )


def test_juries_sittings_and_invitations_cannot_be_edited_or_deleted_in_the_admin(
    admin_client, jury, sitting, invitation
):
    for name, obj, changes in [
        ("jury", jury, {"title": "Renamed", "remit": "Other", "visibility": "public"}),
        ("sitting", sitting, {"title": "Renamed", "jury": jury.pk}),
        ("invitation", invitation, {"email": "mallory@example.org", "role": "facilitator"}),
    ]:
        change = reverse(f"admin:juries_{name}_change", args=[obj.pk])
        delete = reverse(f"admin:juries_{name}_delete", args=[obj.pk])
        assert admin_client.post(change, changes).status_code == 403, name
        assert admin_client.post(delete, {"post": "yes"}).status_code == 403, name
    for name in ["sitting", "invitation"]:
        assert admin_client.get(reverse(f"admin:juries_{name}_add")).status_code == 403

    jury.refresh_from_db()
    invitation.refresh_from_db()
    sitting.refresh_from_db()
    assert (jury.title, sitting.title) != ("Renamed", "Renamed")
    assert (invitation.email, invitation.role) == ("sam@example.org", Role.JUROR)


def test_the_admin_page_of_a_jury_points_to_where_it_is_changed(admin_client, jury, invitation):
    page = admin_client.get(reverse("admin:juries_jury_change", args=[jury.pk])).content.decode()
    invitation_page = admin_client.get(
        reverse("admin:juries_invitation_change", args=[invitation.pk])
    ).content.decode()

    assert reverse("juries:dashboard", args=[jury.slug]) in page
    assert invitation.token not in invitation_page


def test_a_jury_created_in_the_admin_is_recorded(admin_client, staff, oversight_body):
    admin_client.post(
        reverse("admin:juries_jury_add"),
        {
            "title": "Housing data",
            "slug": "housing-data",
            "remit": "Should data be shared?",
            "remit_summary": "Should data be shared?",
            "commissioning_organisation": "Council",
            "oversight_body": oversight_body.pk,
            "visibility": "hidden",
            "response_weeks": 8,
        },
    )

    jury = Jury.objects.get(slug="housing-data")
    entry = AuditEntry.objects.get(action="jury.create")
    assert (entry.jury, entry.actor) == (jury, staff)


def test_a_person_changing_their_own_address_is_recorded_signs_out_elsewhere_and_tells_the_old(
    client, jury, juror, juror_browser, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.conftest import sign_in_recently
    from tests.juries.test_sign_in_and_accounts import code_from

    sign_in_recently(client, juror)
    response = client.post(
        reverse("account_email"), {"email": "jo.new@example.org", "action_add": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response.url, {"code": code_from(mailoutbox[-1])})
    assert response.status_code == 302

    juror.refresh_from_db()
    assert juror.email == "jo.new@example.org"
    entry = AuditEntry.objects.get(action="account.email-change")
    assert (entry.jury, entry.actor) == (jury, juror)
    assert signed_out(juror_browser)
    assert not signed_out(client)  # the page they changed it from stays signed in
    [notice] = [m for m in mailoutbox if m.to == ["jo@example.org"]]
    assert "from your account page" in notice.body


# --- what only the admin edits ---------------------------------------------------------------


def test_edits_to_what_has_no_page_of_its_own_are_recorded(
    admin_client, staff, jury, oversight_body
):
    from evidence.models import GlossaryTerm

    term = GlossaryTerm.objects.create(jury=jury, term="Score", definition="A number.")

    admin_client.post(
        reverse("admin:evidence_glossaryterm_change", args=[term.pk]),
        {"jury": jury.pk, "term": "Risk score", "definition": "A number."},
    )
    admin_client.post(
        reverse("admin:juries_oversightbody_change", args=[oversight_body.pk]),
        {"name": oversight_body.name, "public_contact": "new@example.org"},
    )

    entry = AuditEntry.objects.get(action="glossaryterm.admin-change")
    assert (entry.jury, entry.actor) == (jury, staff)
    assert "term" in entry.summary
    assert AuditEntry.objects.get(action="oversightbody.admin-change").actor == staff


def test_evidence_packs_and_witnesses_cannot_be_changed_or_deleted_in_the_admin(admin_client, jury):
    from evidence.models import EvidencePack, Witness

    pack = EvidencePack.objects.create(jury=jury, title="Background")
    witness = Witness.objects.create(
        jury=jury, name="Dr Lee", role="Statistician", standpoint="expert"
    )

    for name, obj in [("evidencepack", pack), ("witness", witness)]:
        change = reverse(f"admin:evidence_{name}_change", args=[obj.pk])
        delete = reverse(f"admin:evidence_{name}_delete", args=[obj.pk])
        assert admin_client.post(change, {"title": "X", "name": "X"}).status_code == 403
        assert admin_client.post(delete, {"post": "yes"}).status_code == 403
