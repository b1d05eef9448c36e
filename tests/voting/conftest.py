"""Factories for recommendations and votes, on top of the shared personas."""

import pytest

from juries.models import Stage
from voting.models import Recommendation, Revision


@pytest.fixture
def at_stage(jury):
    """Move the jury to a stage directly (the stage service is tested elsewhere)."""

    def move(stage):
        jury.stage = Stage(stage)
        jury.save(update_fields=["stage"])
        return jury

    return move


@pytest.fixture
def make_recommendation(jury):
    """A recommendation with its first revision, as `voting.drafting.propose` leaves it."""

    def make(statement="Publish the risk model's error rates every year.", *, by=None, **fields):
        number = (jury.recommendations.count() or 0) + 1
        rec = Recommendation.objects.create(
            jury=fields.pop("jury", jury),
            number=fields.pop("number", number),
            statement=statement,
            rationale=fields.pop("rationale", "People flagged wrongly have a right to know."),
            addressed_to=fields.pop("addressed_to", "Department for Benefits"),
            proposed_by=by,
            revision_count=1,
            **fields,
        )
        Revision.objects.create(
            recommendation=rec,
            number=1,
            statement=rec.statement,
            rationale=rec.rationale,
            addressed_to=rec.addressed_to,
            author=by,
        )
        return rec

    return make
