"""Every page of the juries app refuses the wrong person.

The tables below list every named URL in `juries.urls`. Adding a URL without saying here who may
open it makes `test_every_url_is_listed_with_who_may_open_it` fail.

- anonymous visitors are sent to sign in from member and personal pages;
- people outside the jury get 404 from its member pages, so a private jury's existence is not
  revealed;
- members whose role lacks the right get 403.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from juries import urls as jury_urls
from juries.models import (
    Announcement,
    AuditEntry,
    Category,
    Invitation,
    Jury,
    Membership,
    Role,
    Sitting,
    Stage,
    Visibility,
)

ROLES = ("facilitator", "juror", "witness", "observer", "oversight", "evaluator")
EVERY_ROLE = frozenset(ROLES)
FACILITATOR = frozenset({"facilitator"})
GET, POST, GET_POST = ("GET",), ("POST",), ("GET", "POST")

# Member pages of one jury: url name -> (methods it answers, roles let in at the Set-up stage)
MEMBER_PAGES = {
    "home": (GET, EVERY_ROLE),
    "name-visibility": (GET_POST, frozenset({"juror"})),
    "email-choice": (GET_POST, EVERY_ROLE),
    "sitting-list": (GET, EVERY_ROLE),
    "sitting-detail": (GET, EVERY_ROLE),
    "sitting-ics": (GET, EVERY_ROLE),
    "sitting-create": (GET_POST, FACILITATOR),
    "sitting-edit": (GET_POST, FACILITATOR),
    "sitting-cancel": (GET_POST, FACILITATOR),
    "announcement-list": (GET, EVERY_ROLE),
    "announcement-create": (GET_POST, FACILITATOR),
    "announcement-read": (POST, EVERY_ROLE),
    "dashboard": (GET, frozenset({"facilitator", "observer", "evaluator"})),
    "audit-log": (GET, frozenset({"facilitator", "observer", "evaluator"})),
    "change-stage": (POST, FACILITATOR),
    "edit-jury": (GET_POST, FACILITATOR),
    "edit-timeline": (GET_POST, FACILITATOR),
    "remove-member": (GET_POST, FACILITATOR),
    "invite": (GET_POST, FACILITATOR),
    "resend-invitation": (POST, FACILITATOR),
    "revoke-invitation": (POST, FACILITATOR),
    # Selection: volunteers' details for facilitators only; observers read the pool in aggregate.
    "recruitment": (GET_POST, FACILITATOR),
    "volunteer-list": (GET, FACILITATOR),
    "volunteer-export": (GET, FACILITATOR),
    "volunteer-import": (GET_POST, FACILITATOR),
    "quotas": (GET, frozenset({"facilitator", "observer", "evaluator"})),
    "category-create": (GET_POST, FACILITATOR),
    "category-edit": (GET_POST, FACILITATOR),
    "category-delete": (GET_POST, FACILITATOR),
    "category-merge": (GET_POST, FACILITATOR),
    "selection": (GET, frozenset({"facilitator", "observer", "evaluator"})),
    "draw": (GET, frozenset({"facilitator", "observer", "evaluator"})),
}

# The draw's actions depend on the draw's state and the jury's stage, so every persona is tried on
# each of them, at the right moment, in tests/juries/test_draw_refusals.py.
DRAW_ACTIONS = {
    "draw-reserves",
    "draw-start",
    "draw-cancel",
    "draw-publish",
    "draw-seed",
    "draw-invite",
    "draw-replace",
}

# A signed-in person's own pages, about no jury in particular.
PERSONAL_PAGES = {
    "my-juries",
    "profile",
    "download-data",
    "delete-account",
    "whats-new",
    "whats-new-read",
}
PERSONAL_POST_ONLY = {"whats-new-read"}

# Staff only: the pattern library (refusals tested in tests/juries/test_pattern_library.py).
STAFF_PAGES = {"patterns"}

# Open to everyone: the list of public juries, a public jury's page, an invitation link, the
# link that confirms a change of address staff asked for (the link is the proof; tested in
# tests/juries/test_admin_insider.py).
OPEN_PAGES = {"jury-list", "public", "invitation", "confirm-address-change"}
# Open too: registering interest and its emailed links, the privacy notice, the public draw.
OPEN_PAGES |= {
    "volunteer-register",
    "volunteer-privacy",
    "volunteer-confirm",
    "volunteer-withdraw",
    "selection-public",
    "draw-bundle",
}

PATTERNS = {pattern.name: pattern for pattern in jury_urls.urlpatterns}


def make_sitting(jury, title="Meeting the witnesses"):
    start = timezone.now() + timedelta(days=3)
    return Sitting.objects.create(
        jury=jury, title=title, starts_at=start, ends_at=start + timedelta(hours=2)
    )


@pytest.fixture
def personas(personas, evaluator):
    return {**personas, "evaluator": evaluator}


@pytest.fixture
def url_values(jury, personas):
    invitation = Invitation.objects.create(
        jury=jury, email="sam@example.org", invited_by=personas["facilitator"]
    )
    return {
        "slug": jury.slug,
        "sitting_id": make_sitting(jury).pk,
        "announcement_id": Announcement.objects.create(jury=jury, title="Hello", text="Hi").pk,
        "membership_id": Membership.objects.get(jury=jury, user=personas["juror"]).pk,
        "invitation_id": invitation.pk,
        "token": invitation.token,
        "category_id": Category.objects.create(jury=jury, name="Age", question="Your age?").pk,
    }


def url_for(name, values):
    """The URL for `name`, its arguments taken from `values` by the names the pattern uses."""
    params = PATTERNS[name].pattern.converters
    return reverse(f"juries:{name}", kwargs={key: values[key] for key in params})


def send(client, method, url):
    return client.post(url) if method == "POST" else client.get(url)


def pairs(let_in):
    """(url name, role) for every member page, for roles that are (or are not) let in."""
    return [
        pytest.param(name, role, id=f"{name}-{role}")
        for name, (_methods, roles) in MEMBER_PAGES.items()
        for role in ROLES
        if (role in roles) == let_in
    ]


def test_every_url_is_listed_with_who_may_open_it():
    listed = [*MEMBER_PAGES, *PERSONAL_PAGES, *STAFF_PAGES, *OPEN_PAGES, *DRAW_ACTIONS]
    assert len(listed) == len(set(listed)), "a URL is listed in more than one table"
    assert set(listed) == set(PATTERNS)


def test_the_tables_name_only_real_roles():
    assert set(ROLES) == {role.value for role in Role}


# --- anonymous visitors ----------------------------------------------------------------------


@pytest.mark.parametrize("name", [*MEMBER_PAGES, *sorted(PERSONAL_PAGES)])
def test_anonymous_visitor_is_sent_to_sign_in(client, url_values, name):
    methods = MEMBER_PAGES[name][0] if name in MEMBER_PAGES else GET
    url = url_for(name, url_values)

    for method in methods:
        response = send(client, method, url)

        assert response.status_code == 302, method
        assert response.url.startswith(reverse("account_login")), method
        assert "next=" in response.url


# --- people outside the jury -----------------------------------------------------------------


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_outsider_is_told_the_page_does_not_exist(client, jury, outsider, url_values, name):
    client.force_login(outsider)
    url = url_for(name, url_values)
    entries_before = AuditEntry.objects.count()

    for method in MEMBER_PAGES[name][0]:
        response = send(client, method, url)

        assert response.status_code == 404, method
        assert jury.title not in response.content.decode(), "the 404 names the private jury"
    assert AuditEntry.objects.count() == entries_before


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_removed_member_is_told_the_page_does_not_exist(client, personas, url_values, name):
    facilitator = personas["facilitator"]
    Membership.objects.filter(user=facilitator).delete()
    client.force_login(facilitator)

    for method in MEMBER_PAGES[name][0]:
        assert send(client, method, url_for(name, url_values)).status_code == 404, method


# --- members whose role lacks the right ------------------------------------------------------


@pytest.mark.parametrize(("name", "role"), pairs(let_in=False))
def test_member_whose_role_lacks_the_right_is_forbidden(
    client, personas, url_values, mailoutbox, name, role
):
    client.force_login(personas[role])
    url = url_for(name, url_values)
    entries_before = AuditEntry.objects.count()

    for method in MEMBER_PAGES[name][0]:
        assert send(client, method, url).status_code == 403, method
    assert AuditEntry.objects.count() == entries_before, "a refused request changed something"
    assert mailoutbox == []


@pytest.mark.parametrize(("name", "role"), pairs(let_in=True))
def test_member_whose_role_has_the_right_is_let_in(client, personas, url_values, name, role):
    client.force_login(personas[role])
    method = MEMBER_PAGES[name][0][0]

    response = send(client, method, url_for(name, url_values))

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert not response.url.startswith(reverse("account_login"))


def test_observer_cannot_remove_a_member(client, jury, observer, juror):
    client.force_login(observer)
    membership = Membership.objects.get(jury=jury, user=juror)

    response = client.post(reverse("juries:remove-member", args=[jury.slug, membership.pk]))

    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_juror_cannot_change_the_stage(client, jury, juror):
    client.force_login(juror)

    response = client.post(
        reverse("juries:change-stage", args=[jury.slug]), {"to_stage": "selection"}
    )

    assert response.status_code == 403
    jury.refresh_from_db()
    assert jury.stage == Stage.SETUP


@pytest.mark.parametrize(
    "name", [name for name, (methods, _roles) in MEMBER_PAGES.items() if methods == POST]
)
def test_actions_cannot_be_triggered_by_following_a_link(client, facilitator, url_values, name):
    client.force_login(facilitator)

    assert client.get(url_for(name, url_values)).status_code == 405


# --- the stage decides too -------------------------------------------------------------------


def test_facilitator_cannot_edit_the_remit_once_the_jury_is_learning(client, jury, facilitator):
    Jury.objects.filter(pk=jury.pk).update(stage=Stage.LEARNING)
    client.force_login(facilitator)
    url = reverse("juries:edit-jury", args=[jury.slug])

    page = client.get(url)
    assert page.status_code == 200
    assert 'name="remit"' not in page.content.decode()
    response = client.post(
        url,
        {
            "title": "A clearer title",
            "remit": "Changed",
            "remit_summary": "Changed too",
            "commissioning_organisation": jury.commissioning_organisation,
            "visibility": "public",
            "help_contact": "0300 555 0100",
            "response_weeks": 8,
        },
    )
    assert response.status_code == 302
    jury.refresh_from_db()
    assert jury.remit == "Should the department adopt automated fraud-risk scoring?"
    assert jury.remit_summary == "Should a computer help decide whose benefit claim is checked?"
    assert jury.title == "A clearer title"
    assert jury.visibility == "public"


def _details(jury, **changes):
    return {
        "title": jury.title,
        "commissioning_organisation": jury.commissioning_organisation,
        "visibility": "hidden",
        "response_weeks": 8,
        **changes,
    }


def test_facilitator_sets_the_weeks_the_oversight_body_has_to_answer(client, jury, facilitator):
    Jury.objects.filter(pk=jury.pk).update(stage=Stage.LEARNING)
    client.force_login(facilitator)
    url = reverse("juries:edit-jury", args=[jury.slug])

    refused = client.post(url, _details(jury, response_weeks=0))
    assert refused.status_code == 200  # the form again, with the message
    assert "greater than or equal to 1" in refused.content.decode()
    assert 'value="0"' in refused.content.decode()  # what was typed is kept
    assert client.post(url, _details(jury, response_weeks=12)).status_code == 302
    jury.refresh_from_db()
    assert jury.response_weeks == 12


def test_the_answer_deadline_no_longer_changes_once_the_report_is_out(client, jury, facilitator):
    Jury.objects.filter(pk=jury.pk).update(stage=Stage.RESPONSE)
    client.force_login(facilitator)
    url = reverse("juries:edit-jury", args=[jury.slug])

    assert 'name="response_weeks"' not in client.get(url).content.decode()
    client.post(url, _details(jury, response_weeks=30))
    jury.refresh_from_db()
    assert jury.response_weeks == 8


def test_facilitator_may_edit_the_remit_during_selection(client, jury, facilitator):
    Jury.objects.filter(pk=jury.pk).update(stage=Stage.SELECTION)
    client.force_login(facilitator)

    assert client.get(reverse("juries:edit-jury", args=[jury.slug])).status_code == 200


@pytest.mark.parametrize("name", ["sitting-create", "sitting-edit", "sitting-cancel"])
def test_facilitator_cannot_manage_sittings_once_the_body_is_responding(
    client, jury, facilitator, url_values, name
):
    Jury.objects.filter(pk=jury.pk).update(stage=Stage.RESPONSE)
    client.force_login(facilitator)

    assert client.get(url_for(name, url_values)).status_code == 403


# --- objects of another jury -----------------------------------------------------------------


@pytest.fixture
def other_jury_values(make_jury, make_person, jury, facilitator):
    """Objects that belong to a second jury, reached through the first jury's addresses."""
    other = make_jury(slug="other-jury", title="Another jury")
    stranger = make_person("sid@example.org", "Sid")
    membership = Membership.objects.create(jury=other, user=stranger, role=Role.JUROR)
    invitation = Invitation.objects.create(jury=other, email="pat@example.org")
    return {
        "slug": jury.slug,
        "sitting_id": make_sitting(other, "Another jury's sitting").pk,
        "announcement_id": Announcement.objects.create(jury=other, title="Hi", text="Hi").pk,
        "membership_id": membership.pk,
        "invitation_id": invitation.pk,
        "category_id": Category.objects.create(jury=other, name="Area", question="Where?").pk,
    }


@pytest.mark.parametrize(
    "name",
    [name for name in MEMBER_PAGES if set(PATTERNS[name].pattern.converters) - {"slug"}],
)
def test_another_jurys_objects_cannot_be_reached_through_this_jury(
    client, facilitator, other_jury_values, mailoutbox, name
):
    client.force_login(facilitator)
    url = url_for(name, other_jury_values)

    for method in MEMBER_PAGES[name][0]:
        assert send(client, method, url).status_code == 404, method
    assert Membership.objects.filter(pk=other_jury_values["membership_id"]).exists()
    assert Sitting.objects.filter(pk=other_jury_values["sitting_id"]).exists()
    assert Invitation.objects.get(pk=other_jury_values["invitation_id"]).is_pending
    assert Category.objects.filter(pk=other_jury_values["category_id"]).exists()
    assert mailoutbox == []


# --- pages open to everyone ------------------------------------------------------------------


def test_anyone_may_read_the_list_of_public_juries(client, make_jury, jury, outsider):
    make_jury(slug="open-jury", title="An open jury", visibility=Visibility.PUBLIC)
    url = reverse("juries:jury-list")

    for person in (None, outsider):
        if person:
            client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert "An open jury" in response.content.decode()
        assert jury.title not in response.content.decode(), "a hidden jury is listed"


def test_anyone_may_read_a_public_jurys_page(client, make_jury, outsider):
    public = make_jury(slug="open-jury", visibility=Visibility.PUBLIC)
    url = reverse("juries:public", args=[public.slug])

    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 200


def test_a_hidden_jury_has_no_public_page_for_outsiders(client, jury, outsider):
    url = reverse("juries:public", args=[jury.slug])

    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_members_may_read_their_hidden_jurys_public_page(client, jury, juror):
    client.force_login(juror)

    assert client.get(reverse("juries:public", args=[jury.slug])).status_code == 200


def test_anyone_with_an_invitation_link_may_open_it(client, url_values):
    response = client.get(reverse("juries:invitation", args=[url_values["token"]]))

    assert response.status_code == 200


def test_an_unknown_invitation_link_is_not_found(client, db):
    assert client.get(reverse("juries:invitation", args=["not-a-token"])).status_code == 404


def test_someone_else_cannot_join_with_a_forwarded_invitation(client, jury, outsider, url_values):
    client.force_login(outsider)
    url = reverse("juries:invitation", args=[url_values["token"]])

    assert client.get(url).status_code == 200
    client.post(url)

    assert not Membership.objects.filter(jury=jury, user=outsider).exists()
    assert Invitation.objects.get(token=url_values["token"]).is_pending


@pytest.mark.parametrize("name", sorted(PERSONAL_PAGES))
def test_any_signed_in_person_may_open_their_own_pages(client, outsider, name):
    client.force_login(outsider)
    send = client.post if name in PERSONAL_POST_ONLY else client.get

    response = send(reverse(f"juries:{name}"))

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert not response.url.startswith(reverse("account_login"))


def test_a_signed_in_person_sees_only_their_own_data(client, juror, other_juror):
    client.force_login(juror)

    response = client.get(reverse("juries:download-data"))

    assert response.status_code == 200
    assert "jo@example.org" in response.content.decode()
    assert other_juror.email not in response.content.decode()
