"""The oversight member's pages: the list to answer, the answer form and the progress form; the
answer panel on a recommendation's page; the next step on the jury home."""

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from juries.models import AuditEntry
from juries.next_step import next_step_for
from juries.permissions import access_for
from tests.voting.responses_factories import decided_jury
from voting.models import ProgressUpdate, Response, ResponseStatus
from voting.responses import add_progress, record_response

GOOD_ANSWER = {
    "status": "accepted_in_part",
    "reasons": "We agree in part: the error rates will be published, not the model.",
    "planned_action": "Publish yearly error rates.",
    "owner": "Head of Benefits Operations",
    "due_by": "2026-09-30",
}


def checked(page):
    """The value of the radio button the page shows as chosen."""
    found = re.findall(r'<input type="radio" name="status" value="(\w+)"[^>]* checked', page)
    return found[0] if len(found) == 1 else found


@pytest.fixture
def recs(jury, make_recommendation, oversight, juror):
    return decided_jury(jury, make_recommendation, adopted=2, not_adopted=1, published_days_ago=3)


@pytest.fixture
def signed_in(client, oversight):
    client.force_login(oversight)
    return client


def answer_url(jury, number=1):
    return reverse("voting:response-answer", args=[jury.slug, number])


def progress_url(jury, number=1):
    return reverse("voting:response-progress", args=[jury.slug, number])


def test_the_list_shows_each_adopted_recommendation_with_its_support_and_the_deadline(
    signed_in, jury, recs
):
    page = signed_in.get(reverse("voting:responses", args=[jury.slug])).content.decode()
    assert "Adopted recommendation 1." in page
    assert "Adopted recommendation 2." in page
    assert "Rejected recommendation 1." not in page
    assert "Only the recommendations the jury adopted are answered." in page
    assert "9 of the 10 jurors who took a side could accept it" in page
    assert "Strongly support: 5" in page
    assert "53 days left" in page  # 8 weeks from 3 days ago
    assert "0 of 2 recommendations answered" in page
    assert "Overdue" not in page


def test_an_oversight_member_answers_through_the_form(signed_in, jury, recs, juror):
    response = signed_in.post(answer_url(jury), GOOD_ANSWER, follow=True)
    assert response.redirect_chain[-1][0] == reverse("voting:responses", args=[jury.slug])
    saved = Response.objects.get()
    assert saved.status == ResponseStatus.ACCEPTED_IN_PART
    assert str(saved.due_by) == "2026-09-30"
    page = response.content.decode()
    assert "Your answer to recommendation 1 is published." in page
    assert "Accepted in part" in page
    assert "1 of 2 recommendations answered" in page


def test_the_answer_form_is_prefilled_when_revising(signed_in, jury, recs, oversight):
    record_response(recs[0], oversight, ResponseStatus.UNDER_CONSIDERATION, "Still deciding.")
    page = signed_in.get(answer_url(jury)).content.decode()
    assert "Change your answer to recommendation 1" in page
    assert "Still deciding." in page
    assert checked(page) == "under_consideration"


def test_a_form_with_errors_keeps_what_was_typed(signed_in, jury, recs):
    data = {**GOOD_ANSWER, "reasons": "", "due_by": "31 February"}
    response = signed_in.post(answer_url(jury), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Give the reasons for your answer." in page
    assert "Enter a real date" in page
    assert "Publish yearly error rates." in page
    assert "Head of Benefits Operations" in page
    assert checked(page) == "accepted_in_part"
    assert not Response.objects.exists()


def test_a_form_without_an_answer_says_so(signed_in, jury, recs):
    response = signed_in.post(answer_url(jury), {**GOOD_ANSWER, "status": ""})
    assert response.status_code == 400
    assert "Choose an answer." in response.content.decode()


def test_a_double_submission_answers_once(signed_in, jury, recs):
    data = {**GOOD_ANSWER, "submission_key": "same-key"}
    signed_in.post(answer_url(jury), data)
    second = signed_in.post(answer_url(jury), {**data, "reasons": "Changed my mind."})
    assert second.status_code == 302
    assert Response.objects.get().reasons == GOOD_ANSWER["reasons"]
    assert AuditEntry.objects.filter(action__startswith="response.").count() == 1


def test_a_recommendation_the_jury_did_not_adopt_has_no_answer_form(signed_in, jury, recs):
    assert signed_in.get(answer_url(jury, number=3)).status_code == 404
    assert signed_in.post(answer_url(jury, number=3), GOOD_ANSWER).status_code == 404


def test_the_service_refusal_is_shown_on_the_form(client, jury, make_recommendation, oversight):
    # At the response stage, but the report row is missing: the service refuses with a reason.
    decided_jury(jury, make_recommendation, adopted=1, published_days_ago=None)
    jury.stage = "response"
    jury.save()
    client.force_login(oversight)
    response = client.post(answer_url(jury), GOOD_ANSWER)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The jury&#x27;s report is not published yet" in page
    assert GOOD_ANSWER["planned_action"] in page
    assert not Response.objects.exists()


def test_progress_needs_an_answer_first(signed_in, jury, recs):
    response = signed_in.get(progress_url(jury))
    assert response.status_code == 302
    assert response["Location"] == answer_url(jury)


def test_an_oversight_member_adds_progress(signed_in, jury, recs, oversight):
    record_response(recs[0], oversight, ResponseStatus.UNDER_CONSIDERATION, "Still deciding.")
    response = signed_in.post(
        progress_url(jury), {"status": "accepted", "note": "The board agreed.", "percent_done": 25}
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.percent_done == 25
    assert Response.objects.get().status == ResponseStatus.ACCEPTED


def test_a_progress_percentage_over_100_is_refused_and_the_note_kept(
    signed_in, jury, recs, oversight
):
    record_response(recs[0], oversight, ResponseStatus.ACCEPTED, "Agreed.")
    data = {"status": "accepted", "note": "Half way, roughly.", "percent_done": 150}
    response = signed_in.post(progress_url(jury), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give a whole number from 0 to 100." in page
    assert "Half way, roughly." in page
    assert 'value="150"' in page
    assert not ProgressUpdate.objects.exists()


def test_the_progress_form_starts_from_the_current_answer(signed_in, jury, recs, oversight):
    record_response(recs[0], oversight, ResponseStatus.NOT_ACCEPTED, "No.")
    page = signed_in.get(progress_url(jury)).content.decode()
    assert checked(page) == "not_accepted"


# --- The answer panel on a recommendation's page ---------------------------------------------


def panel(rec, user):
    request = RequestFactory().get("/")
    request.user = user
    access = access_for(user, rec.jury)
    template = Template("{% load answers %}{% answer_panel recommendation access %}")
    return template.render(Context({"recommendation": rec, "access": access, "request": request}))


def test_the_panel_says_not_answered_yet_and_overdue_after_the_deadline(
    jury, make_recommendation, juror
):
    recs = decided_jury(jury, make_recommendation, adopted=1, published_days_ago=60)
    html = panel(recs[0], juror)
    assert "Not answered yet." in html
    assert "Overdue" in html
    assert "The deadline has passed." in html


def test_the_panel_shows_the_answer_progress_and_the_link_to_discuss_it(recs, oversight, juror):
    response = record_response(
        recs[0], oversight, ResponseStatus.ACCEPTED, "Agreed.", owner="The board"
    )
    add_progress(response, oversight, ResponseStatus.ACCEPTED, "Started.", 30)
    html = panel(recs[0], juror)
    assert "Accepted" in html
    assert "The board" in html
    assert '<progress id="progress-' in html
    assert "30% done" in html
    assert f"/discussions/about/voting.response/{response.pk}/" in html
    assert "Overdue" not in html


def test_the_panel_says_nothing_before_the_report_is_published(jury, make_recommendation, juror):
    recs = decided_jury(jury, make_recommendation, adopted=1, published_days_ago=None)
    assert panel(recs[0], juror).strip() == ""


def test_the_panel_explains_a_rejected_recommendation_is_not_answered(
    jury, make_recommendation, juror
):
    decided_jury(jury, make_recommendation, adopted=1, not_adopted=1, published_days_ago=1)
    rejected = jury.recommendations.get(number=2)
    assert "answers only the recommendations the jury adopted" in panel(rejected, juror)


# --- The next step on the jury home ----------------------------------------------------------


def test_oversight_members_are_asked_to_answer_and_jurors_to_see_the_answers(
    jury, recs, oversight, juror
):
    step = next_step_for(oversight, access_for(oversight, jury))
    assert step.title == "Answer the jury's recommendations"
    assert step.url == reverse("voting:responses", args=[jury.slug])
    step = next_step_for(juror, access_for(juror, jury))
    assert step.title == "See the answers"
    assert step.url == reverse("voting:accountability", args=[jury.slug])


def test_before_the_response_stage_oversight_members_have_nothing_to_answer(jury, oversight):
    jury.stage = "report"
    jury.save()
    step = next_step_for(oversight, access_for(oversight, jury))
    assert step.title != "Answer the jury's recommendations"


def test_days_left_count_down_on_the_list(signed_in, jury, make_recommendation):
    decided_jury(jury, make_recommendation, adopted=1, published_days_ago=8 * 7 - 1)
    page = signed_in.get(reverse("voting:responses", args=[jury.slug])).content.decode()
    assert "1 day left" in page
