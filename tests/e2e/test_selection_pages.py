"""Every selection page (issue 7) passes axe-core while recruitment is open: the public pages a
volunteer sees, the facilitators' recruitment, import and quota pages (also showing their
errors, and quotas that cannot be met), and what an observer may read. The busiest pages also fit
a 320 px screen. (The draw in each of its states is in test_selection_pages_draw.py; the whole
journey driven by keyboard is in test_selection_flow.py.)

The pool: 30 volunteers, 24 of them confirmed, 5 who have not confirmed yet and 1 who withdrew.
"""

import pytest

from juries.models import Volunteer

from .layout import NARROW
from .selection_helpers import (
    LONG_NAME,
    PANEL_SIZE,
    assert_fits,
    build_pool,
    make_infeasible,
    manage,
    signed_in,
    submit,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BAD_CSV = (
    "name,email,Age,Area\n"
    "Grace Hopper,grace@example.net,Under 40,South\n"
    ",nobody@example.net,Under 40,South\n"
    "Alan Turing,not-an-address,40 or older,North\n"
    "Ada Lovelace,ada@example.net,ancient,Nowhere\n"
)


@pytest.fixture
def pool(jury, facilitator):
    return build_pool(jury, facilitator)


# --- Anonymous: the public pages a volunteer sees ---------------------------------------------


def test_the_public_recruitment_pages_pass_axe(browse, jury, pool):
    visitor = browse()
    page = visitor.page
    visitor.goto(f"/juries/{jury.slug}/")
    visitor.goto(f"/juries/{jury.slug}/selection/")
    assert page.get_by_role("link", name="Register your interest").first.is_visible()
    visitor.goto(f"/juries/{jury.slug}/volunteer/privacy/")
    visitor.goto(f"/juries/{jury.slug}/volunteer/")
    assert page.get_by_role("group", name="How old are you?").is_visible()

    submit(visitor, "Register")  # nothing filled in
    assert page.locator(".error-message").count() >= 4  # name, email, two questions, consent
    visitor.goto(f"/juries/{jury.slug}/volunteer/?sent=1")
    assert page.get_by_role("heading", name="Check your email").is_visible()
    visitor.goto("/volunteer/no-such-token/confirm/", status=404)
    visitor.goto("/volunteer/no-such-token/withdraw/", status=404)


def test_the_confirm_and_withdraw_pages_pass_axe_before_and_after(browse, jury, pool):
    unconfirmed = Volunteer.objects.unconfirmed().filter(jury=jury).first()
    confirmed = Volunteer.objects.in_pool().filter(jury=jury).first()
    visitor = browse()
    page = visitor.page

    visitor.goto(unconfirmed.confirm_url())
    submit(visitor, "Confirm my registration", problem=False)
    assert page.get_by_role("heading", name="You are registered").is_visible()

    visitor.goto(confirmed.withdraw_url())
    submit(visitor, "Withdraw and erase my details", problem=False)
    assert page.get_by_role("heading", name="You have withdrawn").is_visible()
    visitor.goto(confirmed.confirm_url())  # the old confirm link says so too
    assert page.get_by_role("heading", name="You have withdrawn").is_visible()


# --- The facilitator and the observer -----------------------------------------------------------


def test_the_facilitators_recruitment_pages_pass_axe(browse, jury, pool, facilitator, tmp_path):
    fran = signed_in(browse, facilitator)
    page = fran.page
    fran.goto(manage(jury))
    fran.goto(manage(jury, "recruitment/"))
    fran.goto(manage(jury, "volunteers/"))
    assert page.get_by_role("cell", name=LONG_NAME, exact=True).is_visible()
    fran.goto(manage(jury, "volunteers/import/"))
    submit(fran, "Import")  # no file, no consent

    bad = tmp_path / "volunteers.csv"
    bad.write_text(BAD_CSV)
    page.get_by_label("CSV file of volunteers").set_input_files(bad)
    page.locator("input[name=consent_given]").check()
    submit(fran, "Import", problem=False)
    assert page.get_by_role("heading", name="Nobody was imported: 3 problems").is_visible()
    fran.goto(manage(jury, "draw/"))
    assert page.get_by_role("button", name="Start computing the lottery").is_visible()


def test_the_quota_pages_pass_axe_with_their_errors(browse, jury, pool, facilitator):
    category = jury.selection_categories.first()
    fran = signed_in(browse, facilitator)
    page = fran.page
    fran.goto(manage(jury, "quotas/"))
    assert page.get_by_text("These quotas can be met.").is_visible()
    # Two people under 40 live in the south: a group small enough to recognise.
    assert page.get_by_role("heading", name="Some volunteers could be recognised").is_visible()

    page.get_by_label("At least, for Age: Under 40").fill(str(PANEL_SIZE + 3))
    page.get_by_label("At most, for Area: North (empty: no limit)").fill("1")
    submit(fran, "Save the quotas")
    # At least 9 is more than the 6 seats and than its maximum of 4; North at most 1, below 2.
    assert page.locator("main form .field--error").count() == 3

    fran.goto(manage(jury, "quotas/categories/new/"))
    submit(fran, "Save the category")
    fran.goto(manage(jury, f"quotas/categories/{category.pk}/edit/"))
    page.get_by_label("Answers").fill("")
    submit(fran, "Save the category")
    fran.goto(manage(jury, f"quotas/categories/{category.pk}/delete/"))
    fran.goto(manage(jury, f"quotas/categories/{category.pk}/merge/"))
    submit(fran, "Merge the answers")  # nothing chosen, no name


def test_quotas_that_cannot_be_met_pass_axe(browse, jury, pool, facilitator, observer):
    make_infeasible(jury, facilitator, pool)
    for user in (facilitator, observer):
        browsing = signed_in(browse, user)
        browsing.goto(manage(jury, "quotas/"))
        shows = browsing.page.get_by_text
        assert shows("These quotas cannot be met").is_visible()
        assert shows("Age: Under 40 (at least 6, at most 6)").is_visible()
        assert shows("The smallest change that would make a panel possible:").is_visible()
        assert shows("Lower the minimum for Age: Under 40 from 6").is_visible()


def test_the_pages_an_observer_may_read_pass_axe(browse, jury, pool, observer):
    olu = signed_in(browse, observer)
    olu.goto(manage(jury))
    olu.goto(manage(jury, "quotas/"))
    assert olu.page.get_by_text("You can read these figures but not change them.").is_visible()
    assert olu.page.get_by_role("spinbutton").count() == 0
    olu.goto(manage(jury, "draw/"))
    assert olu.page.get_by_role("button").filter(has_text="Start computing").count() == 0


# --- A 320 px screen ------------------------------------------------------------------------------


def test_the_busiest_recruitment_pages_fit_a_320_pixel_screen(browse, jury, pool, facilitator):
    visitor = browse(viewport=NARROW)
    for path in (f"/juries/{jury.slug}/volunteer/", f"/juries/{jury.slug}/selection/"):
        assert_fits(visitor, path)
    fran = signed_in(browse, facilitator, viewport=NARROW)
    for path in ("", "recruitment/", "volunteers/", "volunteers/import/", "quotas/", "draw/"):
        assert_fits(fran, manage(jury, path))
