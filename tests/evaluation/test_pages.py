"""The evaluation's pages, rendered through the test client: answering (typed answers kept on
errors, once only), results hidden below five answers, the before/after chart with its table,
the download with no person in it, the public summary and the juror's next step."""

import csv
import io
import json

import pytest
from django.urls import reverse

from evaluation.models import Answered, Kind, Response, State, TopicStatement
from juries.models import Stage, Visibility
from tests.chart_helpers import svg_of, table_rows
from tests.conftest import sign_in_recently

from .helpers import add_jurors, answer_all, answers_for, close, open_questionnaire

pytestmark = pytest.mark.django_db


def url(name, jury, *args):
    return reverse(f"evaluation:{name}", args=[jury.slug, *args])


@pytest.fixture
def topics(jury):
    return [
        TopicStatement.objects.create(
            jury=jury, text="Automated fraud scores should be used to stop payments", position=0
        ),
        TopicStatement.objects.create(
            jury=jury, text="People should be told when a computer flagged them", position=1
        ),
    ]


def test_a_juror_answers_with_radio_groups_and_their_answers_are_kept_on_errors(
    client, jury, juror, topics
):
    jury.stage = Stage.LEARNING
    jury.save()
    questionnaire = open_questionnaire(jury)
    sign_in_recently(client, juror)
    page = client.get(url("answer", jury, questionnaire.pk)).content.decode()
    assert page.count("<fieldset") == 4  # two questions of ours, two topic statements
    assert "<legend>Automated fraud scores should be used to stop payments</legend>" in page
    assert "Prefer not to say" in page

    partial = answers_for(questionnaire, "agree")  # the topic statements left out
    response = client.post(url("answer", jury, questionnaire.pk), partial)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'value="agree" checked' in page or 'checked value="agree"' in page or "checked" in page
    assert page.count(" checked") == 2
    assert not Response.objects.exists()

    response = client.post(
        url("answer", jury, questionnaire.pk), answers_for(questionnaire, "agree", topics)
    )
    assert response.status_code == 302
    assert Response.objects.count() == 1 and Answered.objects.count() == 1
    assert juror.email not in json.dumps(Response.objects.get().answers)

    # Sending the form again (a double click, the back button) keeps nothing more.
    again = client.post(
        url("answer", jury, questionnaire.pk), answers_for(questionnaire, "disagree", topics)
    )
    assert again.status_code == 302
    followed = client.get(again.url).content.decode()
    assert "already answered" in followed
    assert Response.objects.count() == 1


def test_results_are_hidden_below_five_answers(client, jury, facilitator):
    questionnaire = open_questionnaire(jury)
    answer_all(questionnaire, add_jurors(jury, 3))
    sign_in_recently(client, facilitator)
    page = client.get(url("results", jury)).content.decode()
    assert "Results appear once at least 5 people have answered; 3 have so far." in page
    assert "<svg" not in page


def test_results_from_five_answers_are_a_chart_with_the_same_numbers_in_a_table(
    client, jury, observer
):
    questionnaire = open_questionnaire(jury)
    answer_all(questionnaire, add_jurors(jury, 5), values=["agree"] * 4 + ["prefer_not_to_say"])
    close(questionnaire)
    sign_in_recently(client, observer)
    page = client.get(url("results", jury)).content.decode()
    svg = svg_of(page, f"evaluation-{questionnaire.pk}")
    assert svg.get("role") == "img"
    rows = table_rows(page[page.index(f'id="evaluation-{questionnaire.pk}"') :])
    remit = next(row for row in rows if row and row[0].startswith("I understand the question"))
    assert remit[1:7] == ["0", "4", "0", "0", "0", "1"]


def test_results_wait_for_the_close_and_a_closed_questionnaire_with_results_stays_closed(
    client, jury, facilitator
):
    questionnaire = open_questionnaire(jury)
    answer_all(questionnaire, add_jurors(jury, 6))
    sign_in_recently(client, facilitator)
    page = client.get(url("results", jury)).content.decode()
    assert "Results appear when the questionnaire closes" in page
    assert "6 people have answered so far" in page
    assert "<svg" not in page
    assert (
        json.loads(client.get(url("download-json", jury)).content)["questionnaires"][0]["responses"]
        == []
    )

    client.post(url("state", jury, questionnaire.pk), {"state": "closed"})
    assert "<svg" in client.get(url("results", jury)).content.decode()
    response = client.post(url("state", jury, questionnaire.pk), {"state": "open"}, follow=True)
    assert "cannot open again" in response.content.decode()
    questionnaire.refresh_from_db()
    assert questionnaire.state == State.CLOSED


def test_the_before_and_after_chart_compares_two_distributions(client, jury, facilitator, topics):
    start = open_questionnaire(jury, Kind.START)
    end = open_questionnaire(jury, Kind.END)
    jurors = add_jurors(jury, 6)
    answer_all(start, jurors[:5], values=["strongly_agree"] * 5, topics=topics)
    answer_all(end, jurors[1:], values=["disagree"] * 5, topics=topics)
    close(start, end)
    sign_in_recently(client, facilitator)
    page = client.get(url("results", jury)).content.decode()
    svg = svg_of(page, "evaluation-change")
    assert svg.get("role") == "img"
    assert svg.find("{http://www.w3.org/2000/svg}title") is not None or "title" in page
    rows = table_rows(page[page.index('id="evaluation-change"') :])
    before = next(r for r in rows if r and r[0] == f"Before: {topics[0].text}")
    after = next(r for r in rows if r and r[0] == f"After: {topics[0].text}")
    assert before[1:7] == ["5", "0", "0", "0", "0", "0"]
    assert after[1:7] == ["0", "0", "0", "5", "0", "0"]


def test_no_change_chart_until_both_questionnaires_have_five(client, jury, facilitator, topics):
    start = open_questionnaire(jury, Kind.START)
    open_questionnaire(jury, Kind.END)
    answer_all(start, add_jurors(jury, 5), topics=topics)
    sign_in_recently(client, facilitator)
    page = client.get(url("results", jury)).content.decode()
    assert 'id="evaluation-change"' not in page
    assert "appears once both the start and the end questionnaires" in page


def test_the_download_has_no_person_in_it_and_follows_its_schema(client, jury, evaluator, topics):
    questionnaire = open_questionnaire(jury)
    jurors = add_jurors(jury, 5)
    answer_all(questionnaire, jurors, topics=topics)
    close(questionnaire)
    small = open_questionnaire(jury, Kind.END)
    answer_all(small, jurors[:2], topics=topics)
    sign_in_recently(client, evaluator)

    data = json.loads(client.get(url("download-json", jury)).content)
    schema = json.loads(client.get(url("download-schema", jury)).content)
    assert set(data) == set(schema["required"])
    start, end = data["questionnaires"]
    assert start["included"] and len(start["responses"]) == 5
    assert not end["included"] and end["responses"] == [] and end["answers_count"] == 2
    for response in start["responses"]:
        assert set(response) == {"number", "answers"}

    text = client.get(url("download-csv", jury)).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["questionnaire", "sitting", "response", "question", "statement", "answer"]
    assert len(rows) == 1 + 5 * (2 + len(topics))
    for person in jurors:
        assert person.email not in text and person.display_name not in text
        assert person.email not in json.dumps(data) and person.display_name not in json.dumps(data)


def test_every_page_renders(client, jury, facilitator, juror, evaluator, topics):
    jury.stage = Stage.LEARNING
    jury.save()
    questionnaire = open_questionnaire(jury)
    sign_in_recently(client, facilitator)
    for name in ("home", "manage", "results"):
        assert client.get(url(name, jury)).status_code == 200, name
    organiser = open_questionnaire(jury, Kind.ORGANISER)
    page = client.get(url("answer", jury, organiser.pk)).content.decode()
    assert "Anything else about how the jury was run" in page
    sign_in_recently(client, juror)
    assert client.get(url("home", jury)).status_code == 200
    assert client.get(url("answer", jury, questionnaire.pk)).status_code == 200
    sign_in_recently(client, evaluator)
    assert client.get(url("results", jury)).status_code == 200


def test_the_facilitator_sets_topics_and_opens_and_closes(client, jury, facilitator):
    sign_in_recently(client, facilitator)
    client.get(url("manage", jury))
    response = client.post(
        url("manage", jury),
        {"after_sittings": "on", "statements": "Scores are fair\n\nScores save money\n"},
    )
    assert response.status_code == 302
    assert [t.text for t in jury.topic_statements.all()] == ["Scores are fair", "Scores save money"]
    start = jury.questionnaires.get(kind=Kind.START)
    client.post(url("state", jury, start.pk), {"state": "open"})
    start.refresh_from_db()
    assert start.state == State.OPEN
    client.post(url("state", jury, start.pk), {"state": "closed"})
    start.refresh_from_db()
    assert start.state == State.CLOSED


def test_the_topics_stay_once_someone_has_answered(client, jury, facilitator, topics):
    answer_all(open_questionnaire(jury), add_jurors(jury, 1), topics=topics)
    sign_in_recently(client, facilitator)
    client.post(url("manage", jury), {"statements": "Something else"})
    assert list(jury.topic_statements.all()) == topics


def test_a_juror_is_asked_to_fill_in_the_questionnaire_until_they_have(client, jury, juror):
    jury.stage = Stage.LEARNING
    jury.save()
    questionnaire = open_questionnaire(jury)
    sign_in_recently(client, juror)
    home = client.get(reverse("juries:home", args=[jury.slug])).content.decode()
    assert "Fill in the questionnaire" in home
    client.post(url("answer", jury, questionnaire.pk), answers_for(questionnaire, "agree"))
    home = client.get(reverse("juries:home", args=[jury.slug])).content.decode()
    assert "Fill in the questionnaire" not in home


def test_after_each_sitting_when_the_facilitators_ask_for_it(client, jury, facilitator, juror):
    from datetime import timedelta

    from django.utils import timezone

    from evaluation import services
    from juries.models import Sitting

    jury.stage = Stage.LEARNING
    jury.save()
    start = timezone.now() - timedelta(hours=1)
    sitting = Sitting.objects.create(
        jury=jury,
        title="Meeting the witnesses",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    services.ensure_sitting_questionnaires(jury, now=sitting.ends_at + timedelta(minutes=1))
    assert not jury.questionnaires.exists()
    sign_in_recently(client, facilitator)
    client.post(url("manage", jury), {"after_sittings": "on"})
    assert not jury.questionnaires.filter(kind=Kind.SITTING).exists()  # not ended yet
    services.ensure_sitting_questionnaires(jury, now=sitting.ends_at + timedelta(minutes=1))
    questionnaire = jury.questionnaires.get(kind=Kind.SITTING)
    assert questionnaire.sitting == sitting and questionnaire.state == State.OPEN
    sign_in_recently(client, juror)
    home = client.get(url("home", jury)).content.decode()
    assert "After the sitting" in home


def test_turning_on_after_each_sitting_asks_about_later_sittings_only(client, jury, facilitator):
    """Not one questionnaire for every sitting the jury has had so far: only for sittings that
    end after the facilitators turned it on. Turning it off and on again starts afresh."""
    from datetime import timedelta

    from django.utils import timezone

    from evaluation import services
    from evaluation.models import EvaluationSettings
    from juries.models import Sitting

    now = timezone.now()

    def sitting(title, ends_at):
        return Sitting.objects.create(
            jury=jury, title=title, starts_at=ends_at - timedelta(hours=2), ends_at=ends_at
        )

    sitting("Two weeks ago", now - timedelta(days=14))
    sitting("Yesterday", now - timedelta(days=1))
    sitting("An hour ago", now - timedelta(hours=1))
    sign_in_recently(client, facilitator)
    client.post(url("manage", jury), {"after_sittings": "on"})
    settings = EvaluationSettings.objects.get(jury=jury)
    assert settings.after_sittings and settings.after_sittings_since is not None
    assert not jury.questionnaires.filter(kind=Kind.SITTING).exists()
    page = client.get(url("manage", jury)).content.decode()
    assert "not about earlier ones" in page
    assert "Two weeks ago" not in page and "Yesterday" not in page

    later = sitting("Tomorrow", now + timedelta(days=1))
    services.ensure_sitting_questionnaires(jury, now=now + timedelta(days=1, minutes=5))
    asked = jury.questionnaires.filter(kind=Kind.SITTING)
    assert [q.sitting for q in asked] == [later]

    # Saving the settings again with it still on keeps the moment it was turned on.
    since = settings.after_sittings_since
    client.post(url("manage", jury), {"after_sittings": "on"})
    assert EvaluationSettings.objects.get(jury=jury).after_sittings_since == since

    # Off, then on again: the sittings in between are not asked about either.
    client.post(url("manage", jury), {})
    assert EvaluationSettings.objects.get(jury=jury).after_sittings_since is None
    between = sitting("While it was off", now + timedelta(days=2))
    services.ensure_sitting_questionnaires(jury, now=now + timedelta(days=3))
    client.post(url("manage", jury), {"after_sittings": "on"})
    assert not jury.questionnaires.filter(sitting=between).exists()
    assert jury.questionnaires.filter(kind=Kind.SITTING).count() == 1


def test_answers_sent_after_the_questionnaire_closed_are_not_lost_silently(
    client, jury, juror, topics
):
    jury.stage = Stage.LEARNING
    jury.save()
    questionnaire = open_questionnaire(jury)
    sign_in_recently(client, juror)
    assert client.get(url("answer", jury, questionnaire.pk)).status_code == 200
    close(questionnaire)  # while the juror was filling in the form

    response = client.post(
        url("answer", jury, questionnaire.pk), answers_for(questionnaire, "agree", topics)
    )
    assert response.status_code == 302 and response.url == url("home", jury)
    followed = client.get(response.url).content.decode()
    assert (
        "This questionnaire closed before your answers were sent, so they were not saved. "
        "Thank you for your time."
    ) in followed
    assert not Response.objects.exists() and not Answered.objects.exists()

    # Its link (from an email, say) says it has closed rather than "not found".
    response = client.get(url("answer", jury, questionnaire.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "This questionnaire has closed, so it no longer takes answers." in page
    assert "Send my answers" not in page
    assert url("home", jury) in page


def test_a_closed_questionnaire_thanks_those_who_answered_it(client, jury, juror):
    jury.stage = Stage.LEARNING
    jury.save()
    questionnaire = open_questionnaire(jury)
    sign_in_recently(client, juror)
    client.post(url("answer", jury, questionnaire.pk), answers_for(questionnaire, "agree"))
    close(questionnaire)
    page = client.get(url("answer", jury, questionnaire.pk)).content.decode()
    assert "has closed" in page and "You answered it. Thank you." in page


def test_a_questionnaire_not_open_yet_says_so_and_keeps_nothing(client, jury, juror):
    jury.stage = Stage.LEARNING
    jury.save()
    questionnaire, _created = jury.questionnaires.get_or_create(kind=Kind.START)
    assert questionnaire.state == State.NOT_OPEN
    sign_in_recently(client, juror)
    page = client.get(url("answer", jury, questionnaire.pk)).content.decode()
    assert "This questionnaire is not open yet." in page
    response = client.post(
        url("answer", jury, questionnaire.pk), answers_for(questionnaire, "agree"), follow=True
    )
    assert "not open yet, so your answers were not saved" in response.content.decode()
    assert not Response.objects.exists() and not Answered.objects.exists()


def test_the_public_page_shows_the_summary_after_the_report(client, jury, topics):
    jury.visibility = Visibility.PUBLIC
    jury.save()
    start = open_questionnaire(jury, Kind.START)
    end = open_questionnaire(jury, Kind.END)
    jurors = add_jurors(jury, 5)
    answer_all(start, jurors, topics=topics)
    answer_all(end, jurors, topics=topics)
    close(start, end)
    public = reverse("juries:public", args=[jury.slug])
    jury.stage = Stage.REPORT
    jury.save()
    assert "How the jury rated its own process" not in client.get(public).content.decode()
    jury.stage = Stage.RESPONSE
    jury.save()
    page = client.get(public).content.decode()
    assert "How the jury rated its own process" in page
    assert 'id="evaluation-change"' in page
    for person in jurors:
        assert person.display_name not in page


def test_facilitators_are_asked_to_answer_the_organisers_questionnaire(client, jury, facilitator):
    organiser = open_questionnaire(jury, Kind.ORGANISER)
    sign_in_recently(client, facilitator)
    dashboard = reverse("juries:dashboard", args=[jury.slug])
    assert "Answer the organisers" in client.get(dashboard).content.decode()
    data = {**answers_for(organiser, "agree"), "comment": "=We needed more time"}
    assert client.post(url("answer", jury, organiser.pk), data).status_code == 302
    assert Response.objects.get().answers["comment"] == "=We needed more time"
    assert "Answer the organisers" not in client.get(dashboard).content.decode()


def test_the_csv_cannot_run_a_formula(client, jury, facilitator):
    organiser = open_questionnaire(jury, Kind.ORGANISER)
    for person in add_jurors(jury, 5):  # five organisers, so the answers are in the download
        from evaluation import services

        data = {**answers_for(organiser, "agree"), "comment": "=HYPERLINK(1)"}
        services.answer(organiser, person, data)
    close(organiser)
    sign_in_recently(client, facilitator)
    text = client.get(url("download-csv", jury)).content.decode("utf-8-sig")
    comments = [row for row in csv.reader(io.StringIO(text)) if row[3] == "comment"]
    assert len(comments) == 5
    assert all(row[5] == "'=HYPERLINK(1)" for row in comments)
