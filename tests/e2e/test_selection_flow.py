"""From volunteering to invitations, in real browsers, by keyboard, with axe-core on every page
(issue 7, acceptance check 4).

Val registers her interest from the jury's public page and confirms her email. Fran (facilitator)
reads the questions and quotas and sees that they can be met, closes registration, starts the
draw and watches its progress while the worker computes it, publishes the distribution, enters the
seed after a confirmation page and invites the selected. The selected receive invitations as
jurors, everyone else a kind note. A visitor reads the public selection page: the quotas and the
pool in aggregate, the SHA-256, the seed, the bundle, and no volunteer's identity.

The worker is this test: tasks are queued in the database as in production, and the test runs the
queued computation (the task's own code) while Fran's page is open and polling.
"""

import random
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from juries.models import (
    Answer,
    Category,
    CategoryValue,
    Draw,
    DrawState,
    Invitation,
    Recruitment,
    RecruitmentState,
    Role,
    Stage,
    Visibility,
    Volunteer,
    VolunteerSource,
)
from juries.selection import bundle, draws

from .conftest import last_mail_to, tab_to, type_into

pytestmark = pytest.mark.e2e

PANEL_SIZE = 6
VAL = "val.volunteer@example.org"
SEED = "3 1 4 1 5 9"
SOURCE = "Six dice rolled on camera at the public meeting"


def signed_in(browse, user):
    browsing = browse()
    browsing.sign_in_as(Client(), user)
    return browsing


def press_button(browsing, name, status=200):
    tab_to(browsing.page, browsing.page.get_by_role("button", name=name, exact=True))
    browsing.press("Enter", status=status)


def follow_link(browsing, name):
    tab_to(browsing.page, browsing.page.get_by_role("link", name=name, exact=True).first)
    browsing.press("Enter")


def path_of(link):
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def recruiting_jury(jury):
    jury.stage, jury.visibility = Stage.SELECTION, Visibility.PUBLIC
    jury.save()
    Recruitment.objects.create(
        jury=jury,
        state=RecruitmentState.OPEN,
        panel_size=PANEL_SIZE,
        eligibility="I live in the borough.",
    )
    questions = {
        "Age": ("How old are you?", [("Under 45", 50), ("45 or older", 50)]),
        "Area": ("Where do you live?", [("North", 50), ("South", 50)]),
    }
    values = {}
    for position, (name, (question, answers)) in enumerate(questions.items()):
        category = Category.objects.create(
            jury=jury, name=name, question=question, position=position
        )
        for index, (label, share) in enumerate(answers):
            values[(name, label)] = CategoryValue.objects.create(
                category=category,
                label=label,
                population_share=share,
                minimum=2,
                maximum=4,
                position=index,
            )
    # Older volunteers in the north are over-represented, as usual.
    rng = random.Random(11)
    for number in range(40):
        volunteer = Volunteer.objects.create(
            jury=jury,
            name=f"Pool Person {number}",
            email=f"pool{number}@example.org",
            source=VolunteerSource.FORM,
            confirmed_at="2026-11-01T10:00:00Z",
        )
        age = "45 or older" if rng.random() < 0.7 else "Under 45"
        area = "North" if rng.random() < 0.65 else "South"
        for key in (("Age", age), ("Area", area)):
            value = values[key]
            Answer.objects.create(volunteer=volunteer, category=value.category, value=value)
    return jury


def volunteer_registers_and_confirms(browse, jury):
    visitor = browse()
    page = visitor.page
    visitor.goto(f"/juries/{jury.slug}/")
    follow_link(visitor, "Register your interest")
    type_into(page, page.get_by_label("Your name"), "Val Volunteer")
    type_into(page, page.get_by_label("Your email address"), VAL)
    # Each question is a group of radio buttons: Tab into the group, then the arrow keys choose.
    for question, answer in (("How old are you?", "Under 45"), ("Where do you live?", "South")):
        group = page.get_by_role("group", name=question)
        tab_to(page, group.get_by_role("radio").first)
        page.keyboard.press("Space")
        wanted = group.get_by_role("radio", name=answer, exact=True)
        for _ in range(5):
            if wanted.is_checked():
                break
            page.keyboard.press("ArrowDown")
        assert wanted.is_checked()
    tab_to(page, page.get_by_label("I live in the borough."))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("checkbox", name=re.compile("I agree")))
    page.keyboard.press("Space")
    press_button(visitor, "Register")
    assert page.get_by_role("heading", name=re.compile("Check your email")).is_visible()
    assert not Volunteer.objects.get(email=VAL).in_pool, "in the pool before confirming"

    confirm = re.search(r"https?://\S+/volunteer/\S+/confirm/", last_mail_to(VAL).body).group(0)
    visitor.goto(path_of(confirm))
    press_button(visitor, "Confirm my registration")
    assert page.get_by_role("heading", name="You are registered").is_visible()
    assert Volunteer.objects.get(email=VAL).in_pool


def facilitator_checks_the_quotas_and_closes_registration(fran, jury):
    page = fran.page
    fran.goto(f"/juries/{jury.slug}/manage/")
    follow_link(fran, "Recruitment, quotas and the draw")
    follow_link(fran, "Questions and quotas")
    assert page.get_by_role("heading", name="Can these quotas be met?").is_visible()
    assert page.get_by_text("A draw can start.").is_visible()
    fran.goto(f"/juries/{jury.slug}/manage/selection/")
    follow_link(fran, "Recruitment settings")
    press_button(fran, "Close registration")
    assert Recruitment.objects.get(jury=jury).state == RecruitmentState.CLOSED


def facilitator_starts_the_draw_and_watches_it(fran, jury, settings):
    page = fran.page
    fran.goto(f"/juries/{jury.slug}/manage/selection/draw/")
    # The draw waits in the database queue, as in production, instead of running in the request.
    immediate = settings.TASKS
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    press_button(fran, "Start computing the lottery")
    status = page.get_by_role("status").filter(has_text="Waiting for the computer to start")
    assert status.is_visible()
    draw = Draw.objects.get(jury=jury)
    assert draw.state == DrawState.QUEUED

    # The worker picks the job up; the open page polls and shows the result without a reload.
    with page.expect_navigation():
        draws.compute_draw.call(draw.pk)
    page.wait_for_load_state("load")
    settings.TASKS = immediate
    fran.check()
    assert page.get_by_text(
        "Every volunteer's chance was made as equal as the quotas allow."
    ).is_visible()
    draw.refresh_from_db()
    assert draw.state == DrawState.COMPUTED
    return draw


def facilitator_publishes_and_enters_the_seed(fran, jury, draw):
    page = fran.page
    follow_link(fran, "Publish the distribution")
    # Where the seed will come from is declared, and published, before the seed exists.
    type_into(page, page.get_by_label("Where the seed will come from", exact=True), SOURCE)
    type_into(page, page.get_by_label("How many numbers the seed has", exact=True), "6")
    # The event is today, so the seed can be entered at once (a later day would refuse it).
    day = page.get_by_label("The day of the seed event", exact=True)
    tab_to(page, day)
    day.fill(timezone.localdate().isoformat())
    press_button(fran, "Publish it; it cannot be changed")
    draw.refresh_from_db()
    assert draw.state == DrawState.PUBLISHED and draw.seed == ""
    assert draw.commitment["seed_rule"] == {
        "source": SOURCE,
        "numbers": 6,
        "date": timezone.localdate().isoformat(),
    }
    assert page.get_by_text(draw.commitment_sha256).first.is_visible()

    type_into(page, page.get_by_label("The seed", exact=True), SEED)
    press_button(fran, "Check the seed")
    press_button(fran, "Yes, draw the panel")
    draw.refresh_from_db()
    assert draw.state == DrawState.DRAWN and draw.seed == SEED
    assert page.get_by_role("heading", name="The panel", exact=True).is_visible()


def facilitator_invites_the_selected(fran, draw):
    mail.outbox.clear()
    press_button(fran, "Invite the selected")
    panel = set(
        Volunteer.objects.filter(pseudonym__in=draw.outcome["panel"]).values_list(
            "email", flat=True
        )
    )
    invited = Invitation.objects.filter(jury=draw.jury)
    assert {invitation.email for invitation in invited} == panel
    assert {invitation.role for invitation in invited} == {Role.JUROR}
    others = {message.to[0] for message in mail.outbox} - panel
    assert len(others) == 41 - PANEL_SIZE  # everyone else in the pool hears, once


def visitor_reads_the_public_page(browse, jury, draw):
    visitor = browse()
    page = visitor.page
    visitor.goto(f"/juries/{jury.slug}/")
    follow_link(visitor, "How the jurors are chosen")
    text = page.content()
    assert draw.commitment_sha256 in text
    assert SEED in text and SOURCE in text
    for volunteer in Volunteer.objects.filter(jury=jury):
        assert volunteer.email not in text
        assert volunteer.name not in text
        assert volunteer.pseudonym not in text
    bundle_link = page.get_by_role("link", name="Download the draw's record (JSON)")
    data = Client().get(bundle_link.get_attribute("href"))
    assert data.status_code == 200
    checked = bundle.verify(data.json(), expect_sha256=draw.commitment_sha256)
    assert checked.ok, checked.problems


def test_a_volunteer_registers_and_a_facilitator_draws_and_invites_the_panel(
    browse, settings, recruiting_jury, facilitator
):
    jury = recruiting_jury

    volunteer_registers_and_confirms(browse, jury)

    fran = signed_in(browse, facilitator)
    facilitator_checks_the_quotas_and_closes_registration(fran, jury)
    draw = facilitator_starts_the_draw_and_watches_it(fran, jury, settings)
    facilitator_publishes_and_enters_the_seed(fran, jury, draw)
    draw.refresh_from_db()
    facilitator_invites_the_selected(fran, draw)

    visitor_reads_the_public_page(browse, jury, draw)
