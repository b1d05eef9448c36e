"""Every selection page refuses the wrong person, and a refusal changes nothing.

Anonymous visitors are sent to sign in, people outside the jury get 404, members whose role
lacks the right get 403. The jury is at the Selection stage with a drawn panel.
"""

import pytest
from django.urls import reverse

from juries.models import AuditEntry, Draw, Jury, Place, PlaceKind, Replacement, Stage, Visibility
from juries.selection.views import draws as selection_views
from juries.selection.views import public as selection_public

from .draw_helpers import drawn_draw, make_pool

# Every URL of the draw, for facilitators and for the public.
PATTERNS = selection_views.urlpatterns + selection_public.urlpatterns

ROLES = ("facilitator", "juror", "witness", "observer", "oversight")
READERS = frozenset({"facilitator", "observer"})
FACILITATOR = frozenset({"facilitator"})
GET, POST, GET_POST = ("GET",), ("POST",), ("GET", "POST")

# url name -> (methods it answers, roles let in at the Selection stage)
MEMBER_PAGES = {
    "selection": (GET, READERS),
    "draw": (GET, READERS),
    # Pseudonyms with answers, in order: facilitators only (observers read the panel in aggregate).
    "draw-reserves": (GET, FACILITATOR),
    "draw-start": (POST, FACILITATOR),
    "draw-cancel": (POST, FACILITATOR),
    "draw-publish": (GET_POST, FACILITATOR),
    "draw-seed": (POST, FACILITATOR),
    "draw-invite": (POST, FACILITATOR),
    "draw-replace": (GET_POST, FACILITATOR),
}
OPEN_PAGES = {"selection-public", "draw-bundle"}


@pytest.fixture
def drawn(jury, personas, django_capture_on_commit_callbacks):
    Jury.objects.filter(pk=jury.pk).update(stage=Stage.SELECTION)
    jury.refresh_from_db()
    make_pool(jury)
    return drawn_draw(jury, personas["facilitator"], django_capture_on_commit_callbacks)


@pytest.fixture
def values(jury, drawn):
    place = drawn.places.filter(kind=PlaceKind.PANEL).first()
    return {"slug": jury.slug, "place_id": place.pk, "draw_id": drawn.pk}


def url_for(name, values):
    pattern = next(p for p in PATTERNS if p.name == name)
    return reverse(f"juries:{name}", kwargs={k: values[k] for k in pattern.pattern.converters})


def send(client, method, url):
    return client.post(url) if method == "POST" else client.get(url)


def snapshot(draw):
    draw.refresh_from_db()
    return (
        draw.state,
        draw.invitations_sent_at,
        AuditEntry.objects.count(),
        Draw.objects.count(),
        Replacement.objects.count(),
        list(Place.objects.values_list("state", flat=True)),
    )


def pairs(let_in):
    return [
        pytest.param(name, role, id=f"{name}-{role}")
        for name, (_methods, roles) in MEMBER_PAGES.items()
        for role in ROLES
        if (role in roles) == let_in
    ]


def test_every_selection_url_is_listed_here():
    assert {p.name for p in PATTERNS} == {*MEMBER_PAGES, *OPEN_PAGES}


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, values, drawn, mailoutbox, name):
    before = snapshot(drawn)
    for method in MEMBER_PAGES[name][0]:
        response = send(client, method, url_for(name, values))

        assert response.status_code == 302, method
        assert response.url.startswith(reverse("account_login")), method
    assert snapshot(drawn) == before
    assert mailoutbox == []


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_outsider_is_told_the_page_does_not_exist(
    client, jury, outsider, values, drawn, mailoutbox, name
):
    client.force_login(outsider)
    before = snapshot(drawn)

    for method in MEMBER_PAGES[name][0]:
        response = send(client, method, url_for(name, values))

        assert response.status_code == 404, method
        assert jury.title not in response.content.decode()
    assert snapshot(drawn) == before
    assert mailoutbox == []


@pytest.mark.parametrize(("name", "role"), pairs(let_in=False))
def test_member_whose_role_lacks_the_right_is_forbidden(
    client, personas, values, drawn, mailoutbox, name, role
):
    client.force_login(personas[role])
    before = snapshot(drawn)

    for method in MEMBER_PAGES[name][0]:
        assert send(client, method, url_for(name, values)).status_code == 403, method
    assert snapshot(drawn) == before
    assert mailoutbox == []


@pytest.mark.parametrize(("name", "role"), pairs(let_in=True))
def test_member_whose_role_has_the_right_is_let_in(client, personas, values, name, role):
    client.force_login(personas[role])

    response = send(client, MEMBER_PAGES[name][0][0], url_for(name, values))

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert not response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "name", [name for name, (methods, _roles) in MEMBER_PAGES.items() if methods == POST]
)
def test_actions_cannot_be_triggered_by_following_a_link(client, personas, values, name):
    client.force_login(personas["facilitator"])

    assert client.get(url_for(name, values)).status_code == 405


@pytest.mark.parametrize("name", ["draw-start", "draw-seed", "draw-invite", "draw-publish"])
def test_facilitator_cannot_run_the_draw_once_the_jury_is_learning(
    client, jury, personas, values, drawn, mailoutbox, name
):
    Jury.objects.filter(pk=jury.pk).update(stage=Stage.LEARNING)
    client.force_login(personas["facilitator"])
    before = snapshot(drawn)

    assert client.post(url_for(name, values)).status_code == 403
    assert snapshot(drawn) == before
    assert mailoutbox == []


def test_facilitator_can_still_replace_a_juror_while_the_jury_is_learning(
    client, jury, personas, values
):
    Jury.objects.filter(pk=jury.pk).update(stage=Stage.LEARNING)
    client.force_login(personas["facilitator"])

    client.post(url_for("draw-replace", values), {"reason": "Moved away"})

    assert Replacement.objects.count() == 1


@pytest.mark.parametrize("role", ["juror", "witness", "oversight", "observer"])
def test_other_members_cannot_replace_anyone_at_any_stage(client, jury, personas, values, role):
    Jury.objects.filter(pk=jury.pk).update(stage=Stage.LEARNING)
    client.force_login(personas[role])

    response = client.post(url_for("draw-replace", values), {"reason": "Moved away"})

    assert response.status_code == 403
    assert not Replacement.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_members_read_the_public_page_of_a_private_jury(client, personas, values, role):
    client.force_login(personas[role])

    assert client.get(url_for("selection-public", values)).status_code == 200
    assert client.get(url_for("draw-bundle", values)).status_code == 200


@pytest.mark.parametrize("name", sorted(OPEN_PAGES))
def test_strangers_are_told_a_private_jurys_public_pages_do_not_exist(
    client, outsider, values, name
):
    assert client.get(url_for(name, values)).status_code == 404
    client.force_login(outsider)
    assert client.get(url_for(name, values)).status_code == 404


@pytest.mark.parametrize("name", sorted(OPEN_PAGES))
def test_anyone_reads_a_public_jurys_selection_pages(client, jury, values, name):
    Jury.objects.filter(pk=jury.pk).update(visibility=Visibility.PUBLIC)

    assert client.get(url_for(name, values)).status_code == 200
