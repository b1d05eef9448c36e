"""The oversight body's answers on other pages: a recommendation's page (`answer_panel`) and the
register of systems, where `answer_totals` is what voting registers as the outcome of a review
(evidence.reviews, in VotingConfig.ready()) and `answers_summary` shows it per system or jury.
"""

from dataclasses import dataclass, field

from django import template
from django.db.models import Count, Q

from juries.models import Visibility

from ..deadlines import (
    Deadline,
    deadline_for,
    deadline_from,
    first_published_subquery,
    site_today,
)
from ..models import Response, ResponseStatus
from ..models.drafting import adopted_q, answered_q
from ..responses import earlier_wordings

register = template.Library()


@register.inclusion_tag("voting/responses/answer_panel.html", takes_context=True)
def answer_panel(context, subject, access):
    """On a recommendation's page, once the report is published: the answer (or that there is
    none yet, and whether it is overdue), its earlier wordings, its progress, and the link to
    discuss it."""
    jury = access.jury
    deadline = deadline_for(jury)
    if not deadline.published:
        return {"show": False}
    response = (
        Response.objects.filter(recommendation=subject)
        .prefetch_related("updates", "revisions")
        .first()
    )
    adopted = subject.is_adopted
    return {
        "show": True,
        "jury": jury,
        "access": access,
        "may": access.may,
        "recommendation": subject,
        "response": response,
        "updates": list(response.updates.all()) if response else [],
        "earlier": earlier_wordings(response),
        "adopted": adopted,
        "deadline": deadline,
        "overdue": adopted and response is None and deadline.passed,
    }


@register.simple_tag(takes_context=True)
def lateness(context, response):
    """For an answer given after the deadline, {"days": how many days after, "deadline": the
    date}; None for one given in time. Uses the page's `deadline` when it has one."""
    deadline = context.get("deadline")
    if not isinstance(deadline, Deadline):
        deadline = deadline_for(response.recommendation.jury)
    days = deadline.days_late(response.answered_at)
    return {"days": days, "deadline": deadline.date} if days else None


# --- The register ----------------------------------------------------------------------------


@dataclass
class AnswerCounts:
    """Adopted recommendations waiting for the oversight body."""

    open: int = 0  # not answered (`answered_q()`)
    overdue: int = 0  # not answered, and the deadline has passed
    undecided: int = 0  # answered "under consideration": answered, and still to be decided

    def __add__(self, other):
        return AnswerCounts(
            self.open + other.open,
            self.overdue + other.overdue,
            self.undecided + other.undecided,
        )


@dataclass
class AnswerTotals:
    by_system: dict = field(default_factory=dict)  # system id -> AnswerCounts
    by_jury: dict = field(default_factory=dict)  # jury id -> AnswerCounts


def answer_totals(systems, now=None):
    """AnswerTotals for the public juries reviewing `systems` whose report is published.
    One query, whatever the number of systems and juries."""
    from evidence.models import System  # voting builds on evidence, not the other way round

    ids = [system.pk for system in systems]
    adopted = adopted_q("jury__recommendations__")
    rows = (
        System.juries.through.objects.filter(system_id__in=ids, jury__visibility=Visibility.PUBLIC)
        .values("system_id", "jury_id", "jury__response_weeks")
        .annotate(
            published_at=first_published_subquery("jury_id"),
            adopted=Count("jury__recommendations", filter=adopted),
            answered=Count("jury__recommendations", filter=answered_q("jury__recommendations__")),
            undecided=Count(
                "jury__recommendations",
                filter=adopted
                & Q(jury__recommendations__response__status__in=ResponseStatus.undecided()),
            ),
        )
        .order_by()
    )
    today = site_today(now)
    totals = AnswerTotals()
    for row in rows:
        deadline = Deadline(deadline_from(row["published_at"], row["jury__response_weeks"]), today)
        if not deadline.published:
            continue  # nothing waits for the oversight body before the report is out
        unanswered = row["adopted"] - row["answered"]
        counts = AnswerCounts(
            open=unanswered,
            overdue=unanswered if deadline.passed else 0,
            undecided=row["undecided"],
        )
        system_id = row["system_id"]
        totals.by_system[system_id] = totals.by_system.get(system_id, AnswerCounts()) + counts
        totals.by_jury[row["jury_id"]] = counts
    return totals


@register.inclusion_tag("voting/responses/_answer_counts.html")
def answers_summary(counts_by_id, subject, element="span"):
    """For a system or a jury, in words: for example "3 recommendations awaiting an answer,
    1 overdue". Nothing when none of its juries' reports is published."""
    return {
        "counts": counts_by_id.get(subject.pk) if counts_by_id else None,
        "element": "p" if element == "p" else "span",
    }


@register.simple_tag
def answers_due(user):
    """`{% answers_due user as dues %}`: the reports `user` must answer, per jury
    (`voting.answers_due.due_for`)."""
    from ..answers_due import due_for

    return due_for(user) if user.is_authenticated else []
