"""The domain words on the voting models: adopted, undecided, the response deadline."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from juries.models import Jury
from voting.deadlines import response_deadline
from voting.models import (
    Amendment,
    AmendmentState,
    RecommendationState,
    Report,
    ReportFile,
    ReportFileState,
    ResponseStatus,
    Vote,
    VoteResult,
    VoteState,
)
from voting.models.drafting import adopted_q

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def voted(jury, make_recommendation):
    """Recommendations 1 (adopted), 2 (not adopted), 3 (adopted, then withdrawn), 4 (no vote)."""
    vote = Vote.objects.create(jury=jury, state=VoteState.CLOSED, closed_at=timezone.now())
    recs = [make_recommendation(f"Recommendation {n}.") for n in range(1, 5)]
    for rec, outcome in zip(recs, ["adopted", "not_adopted", "adopted"], strict=False):
        VoteResult.objects.create(
            vote=vote, recommendation=rec, counts={}, jurors=12, outcome=outcome
        )
    recs[2].state = RecommendationState.WITHDRAWN
    recs[2].save(update_fields=["state"])
    return recs


def test_only_a_recommendation_adopted_and_still_active_is_adopted(jury, voted):
    adopted, not_adopted, withdrawn, without_vote = voted

    assert list(jury.recommendations.adopted()) == [adopted]
    assert [rec.is_adopted for rec in voted] == [True, False, False, False]
    assert adopted.result.is_adopted and not not_adopted.result.is_adopted
    assert withdrawn.result.is_adopted  # the vote adopted it; the recommendation was withdrawn


def test_the_adopted_condition_reaches_recommendations_from_their_jury(jury, make_jury, voted):
    make_jury(slug="nothing-voted")

    assert list(Jury.objects.filter(adopted_q("recommendations__"))) == [jury]


def test_an_amendment_is_undecided_while_open_or_being_voted_on(jury, make_recommendation):
    rec = make_recommendation()
    undecided = {
        state: Amendment(recommendation=rec, state=state).is_undecided for state in AmendmentState
    }

    assert undecided == {
        AmendmentState.OPEN: True,
        AmendmentState.VOTING: True,
        AmendmentState.ACCEPTED: False,
        AmendmentState.REJECTED: False,
    }


def test_an_answer_under_consideration_leaves_the_recommendation_undecided():
    assert ResponseStatus.undecided() == (ResponseStatus.UNDER_CONSIDERATION,)


def test_the_deadline_of_a_report_being_published_counts_from_that_moment(jury):
    publishing = datetime(2026, 4, 1, 23, 30, tzinfo=LONDON)

    assert response_deadline(jury) is None
    assert response_deadline(jury, publishing) == date(2026, 4, 1) + timedelta(weeks=8)


def test_a_correction_does_not_move_the_deadline(jury):
    first = datetime(2026, 4, 1, 10, tzinfo=LONDON)
    Report.objects.create(jury=jury, version=1, content={}, sha256="0" * 64, published_at=first)

    later = first + timedelta(days=20)
    assert response_deadline(jury, later) == date(2026, 4, 1) + timedelta(weeks=8)


def test_a_result_says_whether_it_was_adopted_fell_short_or_was_not_decided():
    said = {
        outcome: (VoteResult(outcome=outcome).is_adopted, VoteResult(outcome=outcome).fell_short)
        for outcome in ["adopted", "not_adopted", "no_quorum"]
    }

    assert said == {
        "adopted": (True, False),
        "not_adopted": (False, True),
        "no_quorum": (False, False),
    }


def test_a_vote_is_preparing_until_it_opens():
    assert Vote(state=VoteState.PREPARING).is_preparing
    assert not Vote(state=VoteState.OPEN).is_preparing
    assert not Vote(state=VoteState.CLOSED).is_preparing


def test_an_amendment_says_whether_it_is_open_or_being_voted_on(make_recommendation):
    rec = make_recommendation()
    said = {
        state: (
            Amendment(recommendation=rec, state=state).is_open,
            Amendment(recommendation=rec, state=state).is_being_voted_on,
        )
        for state in AmendmentState
    }

    assert said == {
        AmendmentState.OPEN: (True, False),
        AmendmentState.VOTING: (False, True),
        AmendmentState.ACCEPTED: (False, False),
        AmendmentState.REJECTED: (False, False),
    }


def test_a_report_file_says_whether_it_is_ready_being_made_or_failed():
    said = {
        state: (
            ReportFile(state=state).is_ready,
            ReportFile(state=state).is_making,
            ReportFile(state=state).is_failed,
        )
        for state in ReportFileState
    }

    assert said == {
        ReportFileState.QUEUED: (False, False, False),
        ReportFileState.MAKING: (False, True, False),
        ReportFileState.READY: (True, False, False),
        ReportFileState.FAILED: (False, False, True),
    }
