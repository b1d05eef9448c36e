"""The oversight body's answers: the deadline, recording and revising an answer, progress."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from juries.models import AuditEntry, JuryEvent
from tests.voting.responses_factories import close_vote, decided_jury, publish
from voting import deadlines, responses
from voting.deadlines import deadline_for
from voting.models import ProgressUpdate, Response, ResponseStatus
from voting.responses import ResponseError, add_progress, record_response

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def adopted(jury, make_recommendation, juror, other_juror, oversight, facilitator):
    return decided_jury(jury, make_recommendation, adopted=2, not_adopted=1)


def answer(rec, by, status=ResponseStatus.ACCEPTED, **fields):
    values = {
        "reasons": "We agree the error rates should be public.",
        "planned_action": "Publish them on the council website.",
        "owner": "Head of Benefits Operations",
        "due_by": date(2026, 3, 31),
    }
    values.update(fields)
    return record_response(rec, by, status, **values)


# --- The deadline ----------------------------------------------------------------------------


def test_there_is_no_deadline_before_the_report_is_published(jury, settings):
    settings.TIME_ZONE = "Europe/London"
    assert deadlines.response_deadline(jury) is None
    assert deadline_for(jury).published is False
    assert deadline_for(jury).passed is False


def test_the_deadline_is_weeks_after_the_first_publication_in_the_site_time_zone(jury, settings):
    settings.TIME_ZONE = "Europe/London"
    jury.response_weeks = 8
    jury.save()
    # 23:30 UTC on 31 March is already 1 April in London (summer time).
    publish(jury, at=datetime(2026, 3, 31, 23, 30, tzinfo=ZoneInfo("UTC")))
    assert deadlines.response_deadline(jury) == date(2026, 4, 1) + timedelta(weeks=8)


def test_a_correction_does_not_move_the_deadline(jury):
    publish(jury, at=timezone.now() - timedelta(days=20))
    before = deadlines.response_deadline(jury)
    publish(jury, at=timezone.now(), version=2)
    assert deadlines.response_deadline(jury) == before


def test_the_deadline_passes_the_day_after_it(jury):
    jury.response_weeks = 1
    jury.save()
    publish(jury, at=datetime(2026, 1, 5, 12, tzinfo=LONDON))  # deadline: 12 January
    on_the_day = datetime(2026, 1, 12, 23, 59, tzinfo=LONDON)
    next_morning = datetime(2026, 1, 13, 0, 1, tzinfo=LONDON)
    assert deadline_for(jury, now=on_the_day).passed is False
    assert deadline_for(jury, now=on_the_day).days_left == 0
    assert deadline_for(jury, now=next_morning).passed is True
    assert deadline_for(jury, now=next_morning).days_overdue == 1


def test_only_adopted_unanswered_recommendations_become_overdue(
    jury, make_recommendation, oversight
):
    first, second = decided_jury(jury, make_recommendation, adopted=2, not_adopted=0)
    rejected = make_recommendation("Not adopted.")
    close_vote(jury, not_adopted=[rejected])
    answer(first, oversight)
    later = timezone.now() + timedelta(weeks=9)
    deadline = deadline_for(jury, now=later)
    overdue = {
        rec.number for rec in responses.recommendations_for_answers(jury) if deadline.overdue(rec)
    }
    assert overdue == {second.number}
    assert not any(deadline_for(jury).overdue(r) for r in [first, second, rejected])


# --- Recording an answer ---------------------------------------------------------------------


def test_an_oversight_member_answers_a_recommendation(adopted, oversight):
    response = answer(adopted[0], oversight)
    assert Response.objects.get() == response
    assert response.status == ResponseStatus.ACCEPTED
    assert response.owner == "Head of Benefits Operations"
    assert response.answered_by == oversight
    entry = AuditEntry.objects.get(action="response.recorded")
    assert entry.actor == oversight
    assert "Answered recommendation 1: Accepted" in entry.summary
    event = JuryEvent.objects.get(kind="response.recorded")
    # Every member's open page swaps in the answer; the public learns it from the page itself.
    assert set(event.frames) == {
        "facilitator",
        "juror",
        "witness",
        "observer",
        "oversight",
        "evaluator",
    }
    assert f'id="answer-{adopted[0].pk}" class="answer" hx-swap-oob="true"' in event.frames["juror"]
    assert "Recommendation 1 has been answered." in event.frames["juror"]


def test_jurors_are_emailed_when_an_answer_arrives_with_links_to_read_and_discuss_it(
    adopted, oversight, juror, other_juror
):
    response = answer(adopted[0], oversight)
    to = sorted(message.to[0] for message in mail.outbox)
    assert to == [juror.email, other_juror.email]  # jurors only: not oversight, not facilitators
    body = mail.outbox[0].body
    assert "Recommendation 1 has been answered" in mail.outbox[0].subject
    assert f"/juries/{adopted[0].jury.slug}/accountability/#recommendation-1" in body
    assert f"/discussions/about/voting.response/{response.pk}/" in body


def test_revising_an_answer_keeps_one_response_and_audits_what_changed(adopted, oversight):
    first = answer(adopted[0], oversight, status=ResponseStatus.UNDER_CONSIDERATION)
    mail.outbox.clear()
    revised = answer(
        adopted[0],
        oversight,
        status=ResponseStatus.ACCEPTED_IN_PART,
        owner="Chief Executive",
        based_on=first.version,
    )
    assert Response.objects.count() == 1
    assert revised.status == ResponseStatus.ACCEPTED_IN_PART
    assert revised.owner == "Chief Executive"
    entry = AuditEntry.objects.get(action="response.revised")
    assert "“Under consideration” to “Accepted in part”" in entry.summary
    assert "who is responsible" in entry.summary
    assert "reasons" not in entry.summary  # unchanged
    assert "has changed" in mail.outbox[0].subject


def test_saving_the_same_answer_again_records_nothing_new_and_says_so(adopted, oversight):
    first = answer(adopted[0], oversight)
    assert first.changed is True
    mail.outbox.clear()
    again = answer(adopted[0], oversight, based_on=first.version)
    assert again.changed is False
    assert again.version == 1
    assert AuditEntry.objects.filter(action__startswith="response.").count() == 1
    assert mail.outbox == []


def test_a_recommendation_the_jury_did_not_adopt_cannot_be_answered(
    jury, make_recommendation, oversight
):
    decided_jury(jury, make_recommendation, adopted=1, not_adopted=0)
    rejected = make_recommendation("Rejected.")
    close_vote(jury, not_adopted=[rejected])
    with pytest.raises(ResponseError, match="Only recommendations the jury adopted"):
        answer(rejected, oversight)
    assert not Response.objects.exists()


def test_nothing_can_be_answered_before_the_report_is_published(
    jury, make_recommendation, oversight
):
    recs = decided_jury(jury, make_recommendation, adopted=1, published_days_ago=None)
    with pytest.raises(ResponseError, match="not published yet"):
        answer(recs[0], oversight)
    assert not Response.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="response.").exists()


def test_an_answer_needs_reasons_and_a_known_status(adopted, oversight):
    with pytest.raises(ResponseError, match="reasons"):
        answer(adopted[0], oversight, reasons="   ")
    with pytest.raises(ResponseError, match="Choose one"):
        answer(adopted[0], oversight, status="maybe")
    assert not Response.objects.exists()


# --- Progress --------------------------------------------------------------------------------


def test_a_progress_update_changes_the_answer_status_and_is_audited(adopted, oversight, juror):
    response = answer(adopted[0], oversight, status=ResponseStatus.UNDER_CONSIDERATION)
    mail.outbox.clear()
    update = add_progress(
        response, oversight, ResponseStatus.ACCEPTED, "The board agreed in March.", 40
    )
    assert ProgressUpdate.objects.get() == update
    assert update.by == oversight
    response.refresh_from_db()
    assert response.status == ResponseStatus.ACCEPTED
    entry = AuditEntry.objects.get(action="response.progress")
    assert "40% done" in entry.summary
    assert JuryEvent.objects.filter(kind="response.progress").count() == 1
    assert juror.email in {message.to[0] for message in mail.outbox}
    assert "The board agreed in March." in mail.outbox[0].body


@pytest.mark.parametrize("percent", [-1, 101, "50"])
def test_a_progress_percentage_outside_0_to_100_is_refused(adopted, oversight, percent):
    response = answer(adopted[0], oversight)
    with pytest.raises(ResponseError, match="0 to 100"):
        add_progress(response, oversight, ResponseStatus.ACCEPTED, "Started.", percent)
    assert not ProgressUpdate.objects.exists()


def test_progress_at_0_and_100_percent_is_accepted(adopted, oversight):
    response = answer(adopted[0], oversight)
    add_progress(response, oversight, ResponseStatus.ACCEPTED, "Planned.", 0)
    add_progress(response, oversight, ResponseStatus.ACCEPTED, "Done.", 100)
    assert list(response.updates.values_list("percent_done", flat=True)) == [0, 100]


def test_a_progress_update_needs_a_note(adopted, oversight):
    response = answer(adopted[0], oversight)
    with pytest.raises(ResponseError, match="what has happened"):
        add_progress(response, oversight, ResponseStatus.ACCEPTED, "  ", 10)
