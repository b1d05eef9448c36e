"""The evaluation in a real browser, axe-core checked on every page: a juror answers the start
questionnaire by keyboard (an error first, their answers kept), and the results, the settings and
the public summary are read with their charts and tables."""

import pytest

from evaluation.models import Kind, TopicStatement
from juries.models import Stage
from tests.evaluation.helpers import add_jurors, answer_all, close, open_questionnaire

from .conftest import tab_to

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def evaluating_jury(jury, personas):
    jury.visibility = "public"
    jury.stage = Stage.LEARNING
    jury.save()
    topic = TopicStatement.objects.create(
        jury=jury, text="Automated fraud scores should be used to stop payments"
    )
    return jury, topic


def test_a_juror_answers_the_questionnaire_by_keyboard(browse, client, evaluating_jury, juror):
    jury, _topic = evaluating_jury
    questionnaire = open_questionnaire(jury, Kind.START)
    browsing = browse()
    browsing.sign_in_as(client, juror)
    page = browsing.page

    browsing.goto(f"/juries/{jury.slug}/home/")
    link = page.get_by_role("link", name="Fill in the questionnaire")
    tab_to(page, link)
    browsing.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == questionnaire.title

    # The first group answered by keyboard only; sending the rest empty shows the errors.
    first = page.get_by_role(
        "group", name="I understand the question the jury has been asked to answer."
    )
    tab_to(page, first.get_by_label("Strongly agree"))
    page.keyboard.press("ArrowDown")  # moves to "Agree" and selects it
    assert first.get_by_label("Agree", exact=True).is_checked()
    send = page.get_by_role("button", name="Send my answers")
    tab_to(page, send)
    browsing.press("Enter")
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    first = page.get_by_role(
        "group", name="I understand the question the jury has been asked to answer."
    )
    assert first.get_by_label("Agree", exact=True).is_checked()

    for group in page.get_by_role("group").all():
        if not group.locator("input:checked").count():
            group.get_by_label("Prefer not to say").check()
    send = page.get_by_role("button", name="Send my answers")
    tab_to(page, send)
    browsing.press("Enter")
    assert page.get_by_text("kept without your name").is_visible()


def test_results_settings_and_the_public_summary_pass_axe(
    browse, client, evaluating_jury, facilitator, observer, evaluator
):
    jury, topic = evaluating_jury
    jurors = add_jurors(jury, 5)
    start = open_questionnaire(jury, Kind.START)
    end = open_questionnaire(jury, Kind.END)
    answer_all(start, jurors, topics=[topic])
    answer_all(end, jurors, values=["disagree"] * 5, topics=[topic])
    close(start, end)
    open_questionnaire(jury, Kind.ORGANISER)
    browsing = browse()
    browsing.sign_in_as(client, facilitator)
    page = browsing.page

    browsing.goto(f"/juries/{jury.slug}/evaluation/")
    browsing.goto(f"/juries/{jury.slug}/evaluation/manage/")
    browsing.goto(
        f"/juries/{jury.slug}/evaluation/{jury.questionnaires.get(kind=Kind.ORGANISER).pk}/"
    )
    browsing.goto(f"/juries/{jury.slug}/evaluation/results/")
    assert page.get_by_role("img", name="How opinion changed on the jury's topic").is_visible()
    assert page.locator('[aria-labelledby="evaluation-change-heading"] table').count() == 1

    # The organisers' questionnaire has no answers yet: a message instead of a chart.
    assert page.get_by_text(
        "Results appear once at least 5 people have answered; 0 have so far."
    ).is_visible()
    reading = browse()
    reading.sign_in_as(client, evaluator)
    reading.goto(f"/juries/{jury.slug}/evaluation/results/")
    # A juror who answered follows the old link to the closed questionnaire: a page, not a 404.
    answered = browse()
    answered.sign_in_as(client, jurors[0])
    answered.goto(f"/juries/{jury.slug}/evaluation/{start.pk}/")
    assert answered.page.get_by_text("This questionnaire has closed").is_visible()
    jury.stage = Stage.RESPONSE
    jury.save()
    visitor = browse()
    visitor.goto(f"/juries/{jury.slug}/")
    assert visitor.page.get_by_role(
        "heading", name="How the jury rated its own process"
    ).is_visible()
