"""Every selection page (issue 7) passes axe-core while recruitment is open: the public pages a
volunteer sees, the facilitators' recruitment, import and quota pages (also showing their
errors, and quotas that cannot be met), and what an observer may read. The busiest pages also fit
a 320 px screen. (The draw in each of its states is in test_selection_pages_draw.py; the whole
journey driven by keyboard is in test_selection_flow.py.)

The pool: 30 volunteers, 24 of them confirmed, 5 who have not confirmed yet and 1 who withdrew.
"""

import pytest
from django.test import Client
from django.utils import timezone

from juries.models import Recruitment, RecruitmentState, Stage, Visibility, Volunteer
from juries.selection import quotas, recruitment

from .test_pages_accessible import NARROW, TOO_WIDE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PANEL_SIZE = 6
CONFIRMED, UNCONFIRMED = 24, 5
# name: (question, [(answer, population share %, minimum, maximum)])
QUESTIONS = {
    "Age": ("How old are you?", [("Under 40", 45, 2, 4), ("40 or older", 55, 2, 4)]),
    "Area": ("Where do you live?", [("North", 50, 2, 4), ("South", 50, 2, 4)]),
}
LONG_NAME = "Maximiliana Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh"
BAD_CSV = (
    "name,email,Age,Area\n"
    "Grace Hopper,grace@example.net,Under 40,South\n"
    ",nobody@example.net,Under 40,South\n"
    "Alan Turing,not-an-address,40 or older,North\n"
    "Ada Lovelace,ada@example.net,ancient,Nowhere\n"
)


def _answers_for(number):
    """Few under 40 (one in five), as in many volunteer pools; areas half and half."""
    age = "Under 40" if number % 5 == 0 else "40 or older"
    return {"Age": age, "Area": "North" if number % 2 == 0 else "South"}


def _add_volunteers(jury, values):
    now = timezone.now()
    for number in range(CONFIRMED + UNCONFIRMED + 1):
        name = LONG_NAME if number == 3 else f"Pool Person {number}"
        email = f"{LONG_NAME.lower()}@example.org" if number == 3 else f"pool{number}@example.org"
        volunteer = Volunteer.objects.create(
            jury=jury, name=name, email=email, source="form", consented_at=now
        )
        for category, label in _answers_for(number).items():
            value = values[category, label]
            volunteer.answers.create(category=value.category, value=value)
        if number < CONFIRMED or number == CONFIRMED + UNCONFIRMED:
            Volunteer.objects.filter(pk=volunteer.pk).update(confirmed_at=now)
    recruitment.withdraw(Volunteer.objects.get(email="pool29@example.org"))


def build_pool(jury, facilitator):
    """The jury, public and at the selection stage, recruiting through its form: two questions
    with quotas this pool can meet, and 30 volunteers."""
    jury.stage, jury.visibility = Stage.SELECTION, Visibility.PUBLIC
    jury.help_contact = "Call 0800 000 000 or write to help@example.org"
    jury.save()
    Recruitment.objects.create(
        jury=jury,
        state=RecruitmentState.OPEN,
        panel_size=PANEL_SIZE,
        eligibility="I live in the borough.\nI am 16 or older.",
    )
    values, rows = {}, {}
    for name, (question, answers) in QUESTIONS.items():
        labels = [answer[0] for answer in answers]
        category = quotas.add_category(jury, facilitator, name, question, labels)
        for value, (_label, share, low, high) in zip(category.values.all(), answers, strict=True):
            values[name, value.label] = value
            rows[value.pk] = (share, low, high)
    quotas.set_quotas(jury, facilitator, rows)
    _add_volunteers(jury, values)
    return values


def make_infeasible(jury, facilitator, values):
    """Ask for more people under 40 than the pool has (5 of the 24)."""
    under_40 = values["Age", "Under 40"]
    quotas.set_quotas(jury, facilitator, {under_40.pk: (45, PANEL_SIZE, None)})


@pytest.fixture
def pool(jury, facilitator):
    return build_pool(jury, facilitator)


def signed_in(browse, user, **options):
    browsing = browse(**options)
    browsing.sign_in_as(Client(), user)
    return browsing


def submit(browsing, button, status=200, problem=True):
    """Focus the form's button and press Enter; with `problem`, the page must list the errors."""
    page = browsing.page
    page.get_by_role("button", name=button, exact=True).focus()
    browsing.press("Enter", status=status)
    if problem:
        assert page.get_by_role("heading", name="There is a problem").first.is_visible(), page.url


def assert_fits(browsing, path):
    """Open `path` (axe-core runs) and check that nothing sticks out past the narrow screen."""
    browsing.goto(path)
    width = browsing.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= NARROW["width"], (
        f"{path} scrolls sideways at 320 px: {width} px wide; too wide: "
        f"{browsing.page.evaluate(TOO_WIDE, NARROW['width'])}"
    )


def manage(jury, path=""):
    return f"/juries/{jury.slug}/manage/selection/{path}"


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
