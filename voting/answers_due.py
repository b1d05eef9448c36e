"""What an oversight member has to answer, and by when: for the page they land on after signing
in (their juries) and the "what to do next" on a jury's home.

An adopted recommendation waits for an answer until the oversight body has answered it (any
answer, as the answering page counts "answered"); the deadline is `voting.deadlines`'s.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from juries.models import Jury
from juries.permissions import Action, allowed

from .deadlines import Deadline, deadline_from, first_published_subquery, site_today
from .models.drafting import adopted_q


@dataclass(frozen=True)
class Due:
    """One jury's report as its oversight body sees it."""

    jury: Jury
    adopted: int  # recommendations the jury adopted: each needs an answer
    waiting: int  # of those, not answered yet
    deadline: Deadline

    @property
    def overdue(self):
        """Recommendations still waiting after the deadline."""
        return self.waiting if self.deadline.passed else 0


def _dues(juries, now):
    adopted = adopted_q("recommendations__")
    counted = (
        Jury.objects.filter(pk__in=[jury.pk for jury in juries])
        .annotate(
            first_published_at=first_published_subquery(),
            adopted_count=Count("recommendations", filter=adopted),
            waiting_count=Count(
                "recommendations",
                filter=adopted & Q(recommendations__response__isnull=True),
            ),
        )
        .order_by("title")
    )
    today = site_today(now)
    dues = []
    for jury in counted:
        deadline = Deadline(deadline_from(jury.first_published_at, jury.response_weeks), today)
        if deadline.published:  # nothing is asked of the oversight body before the report
            dues.append(Due(jury, jury.adopted_count, jury.waiting_count, deadline))
    return dues


def due_for(user, now=None):
    """For each jury in which `user` answers the recommendations now (Action.ANSWER_RECOMMENDATIONS:
    an oversight member, once the report is out), its Due, by jury title. Two queries, whatever
    the number of juries and recommendations."""
    juries = [
        membership.jury
        for membership in user.memberships.select_related("jury")
        if allowed(membership.role, membership.jury.stage, Action.ANSWER_RECOMMENDATIONS)
    ]
    return _dues(juries, now) if juries else []


def due_in(jury, now=None):
    """The jury's Due (for someone the caller has checked may answer), or None before its report
    is published."""
    dues = _dues([jury], now)
    return dues[0] if dues else None
