"""Two simultaneous ballots from the same juror on the same recommendation count once.

Runs against PostgreSQL only (set DATABASE_URL=postgresql://...): SQLite lets one writer in at a
time, so it cannot show the race. Each thread has its own database connection, and a barrier
releases both submissions at the same moment.
"""

import os

import pytest

from tests.concurrency import submit_together
from voting import decisions
from voting.models import Ballot, VoteResult

from .decisions_helpers import open_the_vote

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL: set DATABASE_URL",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("attempt", range(5))
def test_two_simultaneous_ballots_from_one_juror_leave_one_row_and_count_once(
    jury, facilitator, juror, other_juror, at_stage, make_recommendation, attempt
):
    at_stage("decision")
    recommendation = make_recommendation()
    vote = open_the_vote(jury, facilitator)

    errors = submit_together(
        [
            lambda: decisions.cast_ballot(vote, recommendation, juror, "support"),
            lambda: decisions.cast_ballot(vote, recommendation, juror, "oppose"),
        ]
    )

    assert errors == []
    ballots = Ballot.objects.filter(vote=vote, recommendation=recommendation, juror=juror)
    assert ballots.count() == 1
    assert ballots.get().level in ("support", "oppose")
    assert decisions.turnout(vote)["voted"] == 1
    decisions.close_vote(vote, facilitator)
    counts = VoteResult.objects.get(recommendation=recommendation).counts
    assert counts["support"] + counts["oppose"] == 1
    assert sum(counts.values()) == 1


def test_ballots_from_different_jurors_go_through_side_by_side(
    jury, facilitator, juror, other_juror, at_stage, make_recommendation
):
    at_stage("decision")
    recommendation = make_recommendation()
    vote = open_the_vote(jury, facilitator)

    errors = submit_together(
        [
            lambda: decisions.cast_ballot(vote, recommendation, juror, "support"),
            lambda: decisions.cast_ballot(vote, recommendation, other_juror, "abstain"),
        ]
    )

    assert errors == []
    assert Ballot.objects.filter(vote=vote).count() == 2
    assert decisions.turnout(vote)["voted"] == 2
