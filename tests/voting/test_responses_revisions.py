"""Revising an answer: every wording is kept, and a member who started from an older answer
(or from none, while someone else answered) is stopped instead of silently replacing it."""

import re

import pytest
from django.urls import reverse

from juries.models import AuditEntry, JuryEvent, Membership, Role
from tests.voting.responses_factories import decided_jury
from voting.models import Response, ResponseStatus
from voting.models.responses import ResponseRevision
from voting.responses import ResponseConflict, ResponseError, record_response

CONFLICT = "Someone changed this answer after you opened it."
FORM = {
    "status": "accepted_in_part",
    "reasons": "My reasons: the error rates, not the model.",
    "planned_action": "Publish yearly error rates.",
    "owner": "Head of Benefits Operations",
    "due_by": "2026-09-30",
}


@pytest.fixture
def recs(jury, make_recommendation, oversight, juror):
    return decided_jury(jury, make_recommendation, adopted=2, not_adopted=0, published_days_ago=3)


@pytest.fixture
def colleague(jury, make_person):
    """A second member of the oversight body, answering the same recommendations."""
    person = make_person("cleo@example.org", "Cleo")
    Membership.objects.create(jury=jury, user=person, role=Role.OVERSIGHT)
    return person


def answer_url(jury, number=1):
    return reverse("voting:response-answer", args=[jury.slug, number])


def based_on_in(page):
    """The version the answer form says it was opened on ("" for a first answer)."""
    found = re.search(r'<input type="hidden" name="based_on"(?: value="(\d*)")?', page)
    assert found, "the answer form has no based_on field"
    return found.group(1) or ""


# --- The service -----------------------------------------------------------------------------


def test_every_wording_of_an_answer_is_kept_with_its_version_and_author(recs, oversight, colleague):
    first = record_response(recs[0], oversight, ResponseStatus.UNDER_CONSIDERATION, "Later.")
    second = record_response(
        recs[0], colleague, ResponseStatus.ACCEPTED, "Agreed.", based_on=first.version
    )
    third = record_response(
        recs[0], oversight, ResponseStatus.ACCEPTED, "Agreed, by June.", based_on=second.version
    )
    assert (first.version, second.version, third.version) == (1, 2, 3)
    wordings = list(ResponseRevision.objects.filter(response=third).order_by("version"))
    assert [(w.version, w.status, w.reasons, w.by) for w in wordings] == [
        (1, "under_consideration", "Later.", oversight),
        (2, "accepted", "Agreed.", colleague),
        (3, "accepted", "Agreed, by June.", oversight),
    ]
    assert str(wordings[0]) == "Version 1: Under consideration"


def test_a_revision_started_from_an_older_version_is_refused_and_the_newer_answer_stays(
    recs, oversight, colleague
):
    opened = record_response(recs[0], oversight, ResponseStatus.UNDER_CONSIDERATION, "Later.")
    record_response(
        recs[0], colleague, ResponseStatus.ACCEPTED, "Cleo's answer.", based_on=opened.version
    )
    with pytest.raises(ResponseConflict, match=CONFLICT) as refused:
        record_response(
            recs[0], oversight, ResponseStatus.NOT_ACCEPTED, "Ola's answer.", based_on=1
        )
    assert isinstance(refused.value, ResponseError)  # shown like any other refusal
    assert refused.value.current.version == 2
    assert refused.value.current.reasons == "Cleo's answer."
    saved = Response.objects.get()
    assert (saved.version, saved.reasons) == (2, "Cleo's answer.")
    assert ResponseRevision.objects.count() == 2
    assert AuditEntry.objects.filter(action="response.revised").count() == 1


def test_a_first_answer_given_after_someone_else_answered_does_not_replace_theirs(
    recs, oversight, colleague
):
    record_response(recs[0], colleague, ResponseStatus.ACCEPTED, "Cleo's answer.")
    with pytest.raises(ResponseConflict, match=CONFLICT):
        record_response(recs[0], oversight, ResponseStatus.NOT_ACCEPTED, "Ola's answer.")
    assert Response.objects.get().reasons == "Cleo's answer."
    assert ResponseRevision.objects.count() == 1


def test_the_live_answer_carries_its_earlier_wordings(recs, oversight, juror):
    first = record_response(recs[0], oversight, ResponseStatus.UNDER_CONSIDERATION, "Later.")
    record_response(recs[0], oversight, ResponseStatus.ACCEPTED, "Agreed.", based_on=1)
    frame = JuryEvent.objects.filter(kind="response.revised").get().frames["juror"]
    assert f'id="answer-{first.recommendation.pk}"' in frame
    assert "Earlier versions of this answer (1)" in frame
    assert "Later." in frame


# --- The answer form -------------------------------------------------------------------------


def test_the_answer_form_says_which_version_it_was_opened_on(client, jury, recs, oversight):
    client.force_login(oversight)
    assert based_on_in(client.get(answer_url(jury)).content.decode()) == ""
    first = record_response(recs[0], oversight, ResponseStatus.UNDER_CONSIDERATION, "Later.")
    assert based_on_in(client.get(answer_url(jury)).content.decode()) == "1"
    record_response(recs[0], oversight, ResponseStatus.ACCEPTED, "Yes.", based_on=first.version)
    assert based_on_in(client.get(answer_url(jury)).content.decode()) == "2"


def test_a_revision_overtaken_by_a_colleague_shows_both_texts_and_publishes_when_sent_again(
    client, jury, recs, oversight, colleague
):
    record_response(recs[0], oversight, ResponseStatus.UNDER_CONSIDERATION, "Later.")
    client.force_login(oversight)
    opened_on = based_on_in(client.get(answer_url(jury)).content.decode())
    record_response(recs[0], colleague, ResponseStatus.ACCEPTED, "Cleo's newer answer.", based_on=1)

    refused = client.post(answer_url(jury), {**FORM, "based_on": opened_on})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "There is a problem" in page
    assert CONFLICT in page
    assert "The answer as it stands now" in page
    assert "Cleo&#x27;s newer answer." in page  # theirs, shown above
    assert FORM["reasons"] in page  # mine, kept in the form
    assert FORM["owner"] in page
    assert based_on_in(page) == "2"  # sending it again means replacing what I have now seen
    assert Response.objects.get().reasons == "Cleo's newer answer."

    again = client.post(answer_url(jury), {**FORM, "based_on": based_on_in(page)})
    assert again.status_code == 302
    saved = Response.objects.get()
    assert (saved.version, saved.reasons) == (3, FORM["reasons"])
    assert ResponseRevision.objects.filter(response=saved).count() == 3


def test_a_first_answer_posted_after_a_colleague_answered_is_shown_again(
    client, jury, recs, oversight, colleague
):
    client.force_login(oversight)
    record_response(recs[0], colleague, ResponseStatus.ACCEPTED, "Cleo's answer.")
    refused = client.post(answer_url(jury), {**FORM, "based_on": ""})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert CONFLICT in page
    assert "Cleo&#x27;s answer." in page
    assert FORM["reasons"] in page
    assert Response.objects.get().reasons == "Cleo's answer."


def test_a_garbled_version_is_treated_as_out_of_date_not_as_permission_to_overwrite(
    client, jury, recs, oversight
):
    record_response(recs[0], oversight, ResponseStatus.ACCEPTED, "Agreed.")
    client.force_login(oversight)
    refused = client.post(answer_url(jury), {**FORM, "based_on": "latest"})
    assert refused.status_code == 400
    assert CONFLICT in refused.content.decode()
    assert Response.objects.get().reasons == "Agreed."


def test_saving_an_unchanged_answer_says_nothing_was_changed(client, jury, recs, oversight):
    client.force_login(oversight)
    first = client.post(answer_url(jury), FORM, follow=True)
    assert "Your answer to recommendation 1 is published." in first.content.decode()
    same = client.post(answer_url(jury), {**FORM, "based_on": "1"}, follow=True)
    page = same.content.decode()
    assert "Nothing was changed." in page
    assert "is published" not in page
    assert Response.objects.get().version == 1
    assert AuditEntry.objects.filter(action__startswith="response.").count() == 1
