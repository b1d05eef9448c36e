"""Every draw page (issue 7) passes axe-core in each state of the draw: waiting in the queue (the
status region), failed because the quotas cannot be met, computed, published (with the seed form,
its errors and the confirmation page) and drawn (the panel, the reserves, a replacement with and
without a reason, the invitations), for the facilitator, the observer and the public. The busiest
drawn pages also fit a 320 px screen.

The pool is the one in test_selection_pages.py (24 volunteers in it, a panel of 6), with
recruitment closed. Each state is made through the services; the computation runs at once
(immediate tasks), except for the queued draw, which waits in the database queue.
"""

import pytest

from juries.models import DrawState, PlaceKind
from juries.selection import bundle, draws, recruitment
from juries.selection.panel import panel_places

from .layout import NARROW
from .selection_helpers import assert_fits, build_pool, make_infeasible, manage, signed_in
from .selection_helpers import submit as submit_form

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SEED = "7 13 22 31 40 48"
SOURCE = "National Lottery draw of 14 June 2025"


def submit(browsing, button, problem=True):
    submit_form(browsing, button, problem=problem)


@pytest.fixture
def closed_pool(jury, facilitator):
    values = build_pool(jury, facilitator)
    recruitment.close_recruitment(jury, facilitator)
    return values


def computed(jury, facilitator):
    draw = draws.start_draw(jury=jury, by=facilitator)
    draw.refresh_from_db()
    assert draw.state == DrawState.COMPUTED, draw.error
    return draw


def published(jury, facilitator):
    return draws.publish_distribution(
        draw=computed(jury, facilitator), by=facilitator, seed_source=SOURCE, seed_numbers=6
    )


def drawn(jury, facilitator):
    draw = published(jury, facilitator)
    return draws.enter_seed(draw=draw, seed=SEED, by=facilitator)


def public(browse, jury):
    visitor = browse()
    visitor.goto(f"/juries/{jury.slug}/selection/")
    return visitor


def observer_reads(browse, jury, observer):
    """The selection pages an observer may read (the full reserve list is for facilitators)."""
    olu = signed_in(browse, observer)
    for path in ("", "quotas/", "draw/"):
        olu.goto(manage(jury, path))
        assert olu.page.locator("main form[method=post]").count() == 0, path  # nothing to change
    return olu


# --- Before the panel is drawn ----------------------------------------------------------------


def test_a_queued_draw_and_its_status_region_pass_axe(
    browse, settings, jury, closed_pool, facilitator, observer
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    draw = draws.start_draw(jury=jury, by=facilitator)
    draw.refresh_from_db()
    assert draw.state == DrawState.QUEUED

    fran = signed_in(browse, facilitator)
    fran.goto(manage(jury, "draw/"))
    status = fran.page.get_by_role("status")
    assert "Waiting for the computer to start." in status.inner_text()
    assert fran.page.get_by_role("button", name="Cancel the computation").is_visible()
    fran.goto(manage(jury))
    olu = observer_reads(browse, jury, observer)
    assert olu.page.get_by_role("status").is_visible()
    public(browse, jury)


def test_a_draw_that_failed_passes_axe(browse, jury, closed_pool, facilitator, observer):
    make_infeasible(jury, facilitator, closed_pool)
    draw = draws.start_draw(jury=jury, by=facilitator)
    draw.refresh_from_db()
    assert draw.state == DrawState.FAILED

    fran = signed_in(browse, facilitator)
    fran.goto(manage(jury, "draw/"))
    heading = fran.page.get_by_role("heading", name="The lottery could not be computed")
    assert heading.is_visible()
    fran.goto(manage(jury))
    observer_reads(browse, jury, observer)


def test_a_computed_draw_passes_axe(browse, jury, closed_pool, facilitator, observer):
    computed(jury, facilitator)
    fran = signed_in(browse, facilitator)
    fran.goto(manage(jury, "draw/"))
    assert fran.page.get_by_text(
        "Every volunteer's chance was made as equal as the quotas allow."
    ).is_visible()
    fran.goto(manage(jury, "draw/publish/"))
    submit(fran, "Publish it; it cannot be changed")  # no seed rule declared yet
    assert fran.page.locator(".error-message").count() == 3  # where, how many numbers, what day
    fran.goto(manage(jury))
    observer_reads(browse, jury, observer)
    public(browse, jury)


def test_a_published_draw_and_the_seed_forms_pass_axe(
    browse, jury, closed_pool, facilitator, observer
):
    draw = published(jury, facilitator)
    fran = signed_in(browse, facilitator)
    page = fran.page
    fran.goto(manage(jury, "draw/"))
    submit(fran, "Check the seed")  # nothing typed
    assert page.locator(".error-message").count() == 1

    page.get_by_label("The seed", exact=True).fill(SEED)
    submit(fran, "Check the seed", problem=False)
    assert page.get_by_role("heading", name="Is this the seed?").is_visible()
    submit(fran, "Change it", problem=False)  # back to the form, with what was typed
    assert page.get_by_label("The seed", exact=True).input_value() == SEED
    fran.goto(manage(jury))
    fran.goto(manage(jury, "quotas/"))  # fixed now: read only

    observer_reads(browse, jury, observer)
    visitor = public(browse, jury)
    assert visitor.page.get_by_text(draw.commitment_sha256).first.is_visible()


# --- The panel drawn ----------------------------------------------------------------------------


def replaceable_place(draw):
    """A panel place some reserve can take while keeping the quotas. Pseudonyms are random, so
    the panel differs from run to run, and a rare profile's seat may have no fitting reserve."""
    places = list(panel_places(draw))
    panel = [place.pseudonym for place in places]
    for place in places:
        fits = bundle.replacement(
            leaving=place.pseudonym,
            panel=panel,
            reserves=draw.outcome["reserves"],
            unavailable=set(),
            commitment=draw.commitment,
        )
        if fits is not None:
            return place
    raise AssertionError("no seat on this panel can be filled from the reserves")


def test_a_drawn_panel_its_reserves_and_a_replacement_pass_axe(
    browse, jury, closed_pool, facilitator
):
    draw = drawn(jury, facilitator)
    leaving = replaceable_place(draw)
    fran = signed_in(browse, facilitator)
    page = fran.page
    fran.goto(manage(jury, "draw/"))
    assert page.get_by_role("heading", name="The panel", exact=True).is_visible()
    fran.goto(manage(jury, "draw/reserves/"))
    assert page.get_by_role("table").is_visible()

    fran.goto(manage(jury, f"draw/places/{leaving.pk}/replace/"))
    submit(fran, "Replace them")  # no reason
    page.get_by_label("Why this person is leaving the panel").fill("Moved away")
    submit(fran, "Replace them", problem=False)
    assert page.get_by_role("cell", name="Moved away").is_visible()
    assert draw.replacements.count() == 1

    submit(fran, "Invite the selected", problem=False)
    assert page.get_by_text("Invitations sent on").is_visible()
    fran.goto(manage(jury))


def test_the_drawn_pages_the_observer_and_the_public_read_pass_axe(
    browse, jury, closed_pool, facilitator, observer
):
    draw = drawn(jury, facilitator)
    observer_reads(browse, jury, observer)
    visitor = public(browse, jury)
    text = visitor.page.content()
    assert SEED in text and draw.commitment_sha256 in text
    for place in draw.places.filter(kind=PlaceKind.PANEL):
        assert place.pseudonym not in text


def test_the_busiest_draw_pages_fit_a_320_pixel_screen(browse, jury, closed_pool, facilitator):
    draw = drawn(jury, facilitator)
    leaving = panel_places(draw).first()
    fran = signed_in(browse, facilitator, viewport=NARROW)
    for path in ("", "quotas/", "draw/", "draw/reserves/", f"draw/places/{leaving.pk}/replace/"):
        assert_fits(fran, manage(jury, path))
    assert_fits(browse(viewport=NARROW), f"/juries/{jury.slug}/selection/")
