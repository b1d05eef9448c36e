"""Every page of the deliberation app refuses the wrong person.

The table lists every named URL in `deliberate.app_urls`; adding one without saying who may open
it fails `test_every_deliberation_url_is_listed`. At the Deliberation stage:

- anonymous visitors are sent to sign in;
- people outside the jury, and jurors of another jury, get 404;
- members whose role lacks the right get 403 (witnesses and oversight members do not read the
  jurors' discussions; observers read but never post, raise a hand or answer a poll).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deliberate import app_urls
from deliberate import room as room_service
from deliberate import threads as thread_service
from juries.models import AgendaItem, Membership, Role, Sitting
from tests.conftest import make_user

EVERY_ROLE = frozenset({"facilitator", "juror", "witness", "observer", "oversight"})
READERS = frozenset({"facilitator", "juror", "observer"})
WRITERS = frozenset({"facilitator", "juror"})
OVERSEERS = frozenset({"facilitator", "observer"})
FACILITATOR = frozenset({"facilitator"})
IN_THE_ROOM = frozenset({"facilitator", "juror", "witness", "observer"})
TAKING_PART = frozenset({"juror", "witness"})

# url name -> roles let in (GET). The post in these tests was written by the facilitator.
MEMBER_PAGES = {
    "threads": READERS,
    "thread-create": WRITERS,
    "thread": READERS,
    "discuss": READERS,
    "moderation": OVERSEERS,
    "participation": OVERSEERS,
    "post-reply": WRITERS,
    "post-edit": FACILITATOR,  # its author only
    "post-history": READERS,
    "post-withdraw": FACILITATOR,  # its author only
    "post-flag": frozenset({"juror"}),
    "post-moderate": FACILITATOR,
    "room": IN_THE_ROOM,
}
# POST-only: url name -> roles allowed
MEMBER_ACTIONS = {
    "post-create": WRITERS,
    "room-hand": TAKING_PART,
    "room-poll": TAKING_PART,
    "room-control": FACILITATOR,
}
SIGNED_IN = {"notifications"}


def test_every_deliberation_url_is_listed():
    names = {p.name for p in app_urls.urlpatterns}
    assert names == set(MEMBER_PAGES) | set(MEMBER_ACTIONS) | SIGNED_IN


@pytest.fixture
def url_for(jury, facilitator, juror):
    jury.stage = "deliberation"
    jury.save()
    thread = thread_service.start_thread(jury=jury, title="T", body="First", by=facilitator)
    post = thread.posts.get()
    sitting = Sitting.objects.create(
        jury=jury,
        title="S",
        starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    item = AgendaItem.objects.create(sitting=sitting, title="Welcome")
    room_service.room_for(sitting)
    values = {
        "slug": jury.slug,
        "thread_id": thread.pk,
        "post_id": post.pk,
        "sitting_id": sitting.pk,
        "label": "juries.agendaitem",
        "pk": item.pk,
    }

    def build(name, slug=None):
        pattern = next(p for p in app_urls.urlpatterns if p.name == name)
        kwargs = {key: values[key] for key in pattern.pattern.converters}
        if slug:
            kwargs["slug"] = slug
        return reverse(f"deliberate:{name}", kwargs=kwargs)

    return build


@pytest.mark.parametrize("name", [*MEMBER_PAGES, *MEMBER_ACTIONS, *SIGNED_IN])
def test_anonymous_visitors_are_sent_to_sign_in(client, url_for, name):
    method = client.post if name in MEMBER_ACTIONS else client.get
    response = method(url_for(name))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


@pytest.mark.parametrize("name", [*MEMBER_PAGES, *MEMBER_ACTIONS])
def test_outsiders_and_jurors_of_another_jury_get_not_found(
    client, url_for, outsider, make_jury, name
):
    other = make_jury(slug="another-jury", stage="deliberation")
    stranger = make_user("stranger@example.org", "Stranger")
    Membership.objects.create(jury=other, user=stranger, role=Role.JUROR)
    method = client.post if name in MEMBER_ACTIONS else client.get
    for person in (outsider, stranger):
        client.force_login(person)
        assert method(url_for(name)).status_code == 404, (person.email, name)


OBJECT_URLS = [
    name
    for name in [*MEMBER_PAGES, *MEMBER_ACTIONS]
    if name not in {"threads", "thread-create", "moderation", "participation"}
]


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_one_jurys_objects_are_not_found_through_another_jurys_address(
    client, url_for, make_jury, name
):
    """Someone with the right role in another jury, trying this jury's objects through theirs."""
    other = make_jury(slug="another-jury", stage="deliberation")
    allowed_roles = {**MEMBER_PAGES, **MEMBER_ACTIONS}[name]
    role = "facilitator" if "facilitator" in allowed_roles else sorted(allowed_roles)[0]
    member = make_user("member@another.example.org", "Other member")
    Membership.objects.create(jury=other, user=member, role=role)
    client.force_login(member)
    method = client.post if name in MEMBER_ACTIONS else client.get
    assert method(url_for(name, slug=other.slug)).status_code == 404, name


@pytest.mark.parametrize("role", sorted(EVERY_ROLE))
@pytest.mark.parametrize("name", list(MEMBER_PAGES))
def test_member_pages_let_in_exactly_the_roles_allowed(client, url_for, personas, role, name):
    client.force_login(personas[role])
    status = client.get(url_for(name)).status_code
    if role in MEMBER_PAGES[name]:
        assert status in (200, 302), (role, name)  # "discuss" sends on to the thread
    else:
        assert status == 403, (role, name)


# Only the forbidden (action, role) pairs: every case asserts a refusal.
REFUSED_ACTIONS = [
    (name, role)
    for name in MEMBER_ACTIONS
    for role in sorted(EVERY_ROLE)
    if role not in MEMBER_ACTIONS[name]
]


@pytest.mark.parametrize(("name", "role"), REFUSED_ACTIONS)
def test_actions_refuse_roles_without_the_right(client, url_for, personas, role, name):
    client.force_login(personas[role])
    assert client.post(url_for(name), {"body": "x", "do": "start"}).status_code == 403, (
        role,
        name,
    )


def test_signed_in_people_choose_their_emails(client, url_for, outsider):
    client.force_login(outsider)
    assert client.get(url_for("notifications")).status_code == 200
