"""The jury cannot leave the decision stage with a vote open, reach the response stage without a
published report, or go back once the report is out."""

import pytest
from django.utils import timezone

from juries.models import Stage
from juries.stages import StageChangeError, change_stage
from voting.models import Report, Vote, VoteState


def test_an_open_vote_keeps_the_jury_at_the_decision_stage(at_stage, facilitator):
    jury = at_stage(Stage.DECISION)
    Vote.objects.create(jury=jury, state=VoteState.OPEN)

    for to in (Stage.REPORT, Stage.DRAFTING):
        with pytest.raises(StageChangeError, match="Close the vote"):
            change_stage(jury=jury, to_stage=to, by=facilitator)
    jury.refresh_from_db()
    assert jury.stage == Stage.DECISION


def test_the_report_stage_needs_a_closed_vote(at_stage, facilitator):
    jury = at_stage(Stage.DECISION)
    with pytest.raises(StageChangeError, match="has not voted"):
        change_stage(jury=jury, to_stage=Stage.REPORT, by=facilitator)

    Vote.objects.create(jury=jury, state=VoteState.CLOSED)
    change_stage(jury=jury, to_stage=Stage.REPORT, by=facilitator)
    assert jury.stage == Stage.REPORT


def test_a_jury_can_still_go_back_to_drafting_before_voting_opens(at_stage, facilitator):
    jury = at_stage(Stage.DECISION)
    Vote.objects.create(jury=jury)  # rules being prepared

    change_stage(jury=jury, to_stage=Stage.DRAFTING, by=facilitator)
    assert jury.stage == Stage.DRAFTING


def test_only_publishing_the_report_moves_the_jury_to_the_response_stage(at_stage, facilitator):
    jury = at_stage(Stage.REPORT)
    with pytest.raises(StageChangeError, match="Publish the report"):
        change_stage(jury=jury, to_stage=Stage.RESPONSE, by=facilitator)


def test_a_published_report_keeps_the_jury_at_the_response_stage(at_stage, facilitator):
    jury = at_stage(Stage.RESPONSE)
    Report.objects.create(
        jury=jury, version=1, content={}, sha256="0" * 64, published_at=timezone.now()
    )
    with pytest.raises(StageChangeError, match="publish a correction"):
        change_stage(jury=jury, to_stage=Stage.REPORT, by=facilitator)


def test_a_ranking_still_to_do_keeps_the_jury_at_the_decision_stage(at_stage, facilitator):
    jury = at_stage(Stage.DECISION)
    vote = Vote.objects.create(jury=jury, state=VoteState.CLOSED, ranking=True)
    with pytest.raises(StageChangeError, match="rank"):
        change_stage(jury=jury, to_stage=Stage.REPORT, by=facilitator)

    vote.ranking_opened_at = vote.ranking_closed_at = timezone.now()
    vote.save()
    change_stage(jury=jury, to_stage=Stage.REPORT, by=facilitator)
    assert jury.stage == Stage.REPORT
