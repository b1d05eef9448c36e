"""The one clear next step on the jury home, walked through every stage of one jury: while the
jurors draft, while the vote is open, at sign-off, and "nothing to do" only when that is true."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from juries.models import Sitting, StagePlan
from juries.next_step import next_step_for
from juries.permissions import access_for
from tests.voting.decisions_helpers import add_jurors, cast_all, open_the_vote
from voting import decisions, dissent, priorities


def step_of(person, jury):
    jury.refresh_from_db()
    return next_step_for(person, access_for(person, jury))


@pytest.fixture
def drafts(jury, make_recommendation, juror):
    return [make_recommendation(by=juror), make_recommendation("Let people appeal.", by=juror)]


def test_jurors_drafting_are_asked_to_comment_on_the_drafts(jury, at_stage, juror, drafts):
    at_stage("drafting")
    step = step_of(juror, jury)
    assert step.title == "Comment on the draft recommendations"
    assert "2 draft recommendations" in step.text
    assert step.url == reverse("voting:recommendations", args=[jury.slug])


def test_while_the_vote_is_open_jurors_are_asked_to_vote_until_it_closes(
    jury, at_stage, juror, facilitator, drafts
):
    StagePlan.objects.create(jury=jury, stage="decision", planned_end=date(2031, 3, 14))
    at_stage("decision")
    vote = open_the_vote(jury, facilitator)
    step = step_of(juror, jury)
    assert step.title == "Cast your vote"
    assert "2 recommendations" in step.text
    assert "closes on 14 March 2031" in step.text
    assert step.url == reverse("voting:vote", args=[jury.slug])

    decisions.cast_ballot(vote, drafts[0], juror, "support")
    step = step_of(juror, jury)
    assert step.title == "You have voted"
    assert "you can change your ballot until 14 March 2031" in step.text


def test_at_the_report_stage_jurors_are_asked_to_sign_off_until_they_have(
    jury, at_stage, juror, drafts
):
    at_stage("report")
    step = step_of(juror, jury)
    assert step.title == "Sign off the final wording, or object"
    assert step.url == reverse("voting:report", args=[jury.slug]) + "#sign-off"

    dissent.sign_off(jury, juror, "confirm")
    step = step_of(juror, jury)
    assert step.title == "Nothing to do right now"


def test_nothing_to_do_says_when_the_next_stage_is_planned(jury, at_stage, juror, drafts):
    StagePlan.objects.create(jury=jury, stage="response", planned_start=date(2031, 5, 2))
    at_stage("report")
    dissent.sign_off(jury, juror, "object")
    step = step_of(juror, jury)
    assert step.title == "Nothing to do right now"
    assert "2 May 2031" in step.text


def test_one_jury_walked_through_every_stage_shows_each_role_its_next_step(
    jury, at_stage, juror, facilitator, witness, observer, oversight, drafts
):
    expected = {
        "setup": "Decide whether your name is public",
        "selection": "Decide whether your name is public",
        "learning": "Read the evidence",
        "deliberation": "Join the discussion",
        "drafting": "Comment on the draft recommendations",
        "decision": "Cast your vote",
        "report": "Sign off the final wording, or object",
        "response": "See the answers",
    }
    for stage, title in expected.items():
        at_stage(stage)
        if stage == "decision":
            open_the_vote(jury, facilitator)
        assert step_of(juror, jury).title == title, stage
        running = {
            "deliberation": "Needs your attention",  # the jurors who have not joined in yet
            "drafting": "Needs your attention",
            "decision": "The vote is open",
            "report": "Sign-off of the final wording",
        }.get(stage, "Run the jury")
        assert step_of(facilitator, jury).title == running, stage
        assert step_of(observer, jury).title == "Follow the jury's work", stage
        assert step_of(witness, jury).title == "Nothing to do right now", stage  # no questions
        if stage != "response":
            assert step_of(oversight, jury).title == "Nothing to do right now", stage
    assert step_of(oversight, jury).title == "Answer the jury's recommendations"


def test_the_jury_home_shows_the_vote_to_cast(client, jury, at_stage, juror, facilitator, drafts):
    at_stage("decision")
    open_the_vote(jury, facilitator)
    client.force_login(juror)
    page = client.get(reverse("juries:home", args=[jury.slug])).content.decode()
    assert "Cast your vote" in page
    assert "Nothing to do right now" not in page


def test_asking_the_next_step_takes_as_many_queries_however_many_drafts_and_jurors(
    jury, at_stage, juror, facilitator, make_recommendation, drafts
):
    at_stage("decision")
    vote = open_the_vote(jury, facilitator)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            step_of(juror, jury)
        return len(captured)

    queries()  # warm the caches (content types, the site)
    few = queries()
    for index in range(5):
        make_recommendation(f"Recommendation {index}")
    for other in add_jurors(jury, 4):
        decisions.cast_ballot(vote, drafts[0], other, "support")
    assert queries() == few


def test_while_the_vote_is_open_facilitators_see_how_many_have_voted_never_who(
    jury, at_stage, juror, other_juror, facilitator, drafts
):
    at_stage("decision")
    vote = open_the_vote(jury, facilitator)
    decisions.cast_ballot(vote, drafts[0], juror, "support")
    step = step_of(facilitator, jury)
    assert step.title == "The vote is open"
    assert "1 of 2 jurors has not voted yet" in step.text
    assert juror.display_name not in step.text and other_juror.display_name not in step.text
    assert step.url == reverse("voting:vote", args=[jury.slug])


def test_an_open_vote_comes_before_a_sitting_later_in_the_week(
    jury, at_stage, juror, facilitator, drafts
):
    at_stage("decision")
    vote = open_the_vote(jury, facilitator)
    start = timezone.now() + timedelta(days=3)
    sitting = Sitting.objects.create(
        jury=jury, title="Last words", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    assert next_step_for(juror, access_for(juror, jury), sitting).title == "Cast your vote"
    decisions.cast_ballot(vote, drafts[0], juror, "support")
    step = next_step_for(juror, access_for(juror, jury), sitting)
    assert step.title == "Get ready for the next sitting"


def test_while_the_ranking_is_open_jurors_are_asked_to_rank_until_they_have(
    jury, at_stage, juror, other_juror, facilitator, drafts
):
    at_stage("decision")
    vote = open_the_vote(jury, facilitator, ranking=True)
    for recommendation in drafts:
        cast_all(vote, recommendation, [juror, other_juror], ["support", "support"])
    vote = priorities.open_ranking(decisions.close_vote(vote, facilitator), facilitator)
    step = step_of(juror, jury)
    assert step.title == "Rank the adopted recommendations"
    assert "2 adopted recommendations" in step.text
    assert step.url == reverse("voting:vote-ranking", args=[jury.slug])

    priorities.rank(vote, juror, [drafts[1].pk, drafts[0].pk])
    assert step_of(juror, jury).title == "Nothing to do right now"


def test_at_the_report_stage_facilitators_see_how_many_have_signed_off(
    jury, at_stage, juror, other_juror, facilitator, drafts
):
    at_stage("report")
    dissent.sign_off(jury, juror, "object")
    step = step_of(facilitator, jury)
    assert step.title == "Sign-off of the final wording"
    assert "1 of 2 jurors has not signed off yet; 1 objected." in step.text
    assert step.url == reverse("voting:report", args=[jury.slug]) + "#sign-off"
