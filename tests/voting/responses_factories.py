"""Test data for the oversight body's answers: closed votes, results and a published report,
written directly (the services that normally make them are tested elsewhere).

Plain functions, imported by the response, reminder and accountability tests. No tests here.
"""

from datetime import timedelta

from django.utils import timezone

from juries.models import Stage
from voting.models import Report, Vote, VoteResult, VoteState

ADOPTED_COUNTS = {
    "strongly_support": 5,
    "support": 3,
    "can_live_with_it": 1,
    "oppose": 1,
    "strongly_oppose": 0,
    "abstain": 2,
}
REJECTED_COUNTS = {
    "strongly_support": 1,
    "support": 1,
    "can_live_with_it": 1,
    "oppose": 4,
    "strongly_oppose": 3,
    "abstain": 2,
}


def close_vote(jury, adopted=(), not_adopted=()):
    """A closed vote of `jury` with a result for each recommendation given."""
    vote = Vote.objects.create(jury=jury, state=VoteState.CLOSED, closed_at=timezone.now())
    for rec in adopted:
        VoteResult.objects.create(
            vote=vote, recommendation=rec, counts=ADOPTED_COUNTS, jurors=12, outcome="adopted"
        )
    for rec in not_adopted:
        VoteResult.objects.create(
            vote=vote, recommendation=rec, counts=REJECTED_COUNTS, jurors=12, outcome="not_adopted"
        )
    return vote


def publish(jury, at=None, version=1):
    """The jury's report, published at `at` (default now), and the jury at the response stage."""
    report = Report.objects.create(
        jury=jury,
        version=version,
        content={},
        sha256="0" * 64,
        published_at=at or timezone.now(),
        reason="" if version == 1 else "A typing error in recommendation 2.",
    )
    jury.stage = Stage.RESPONSE
    jury.save(update_fields=["stage"])
    return report


def days_ago(days):
    """Noon in the site's time zone, `days` calendar days before today there. "Now minus n days"
    would cross a clock change near midnight (23:30 GMT today was 00:30 BST that day in October)
    and land on the next calendar day, moving every deadline counted from it."""
    noon = timezone.localtime(timezone.now(), timezone.get_default_timezone()).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    return noon - timedelta(days=days)


def decided_jury(jury, make_recommendation, *, adopted=2, not_adopted=1, published_days_ago=0):
    """`jury` with `adopted` adopted and `not_adopted` rejected recommendations, its report
    published `published_days_ago` days ago (None: not published). Returns the adopted ones."""
    recs = [make_recommendation(f"Adopted recommendation {n + 1}.") for n in range(adopted)]
    rejected = [
        make_recommendation(f"Rejected recommendation {n + 1}.") for n in range(not_adopted)
    ]
    close_vote(jury, adopted=recs, not_adopted=rejected)
    if published_days_ago is not None:
        publish(jury, at=days_ago(published_days_ago))
    else:
        jury.stage = Stage.REPORT
        jury.save(update_fields=["stage"])
    return recs
