"""A jury recruiting its panel, and the steps the selection pages' browser tests share (no tests
here)."""

from django.test import Client
from django.utils import timezone

from juries.models import Recruitment, RecruitmentState, Stage, Visibility, Volunteer
from juries.selection import quotas, recruitment

from .layout import NARROW, TOO_WIDE

PANEL_SIZE = 6
CONFIRMED, UNCONFIRMED = 24, 5
# name: (question, [(answer, population share %, minimum, maximum)])
QUESTIONS = {
    "Age": ("How old are you?", [("Under 40", 45, 2, 4), ("40 or older", 55, 2, 4)]),
    "Area": ("Where do you live?", [("North", 50, 2, 4), ("South", 50, 2, 4)]),
}
LONG_NAME = "Maximiliana Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh"


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
