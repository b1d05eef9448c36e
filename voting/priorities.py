"""The priority ranking of the adopted recommendations, after the vote has closed.

Jurors rank in secret (one PriorityBallot each, changed until the ranking closes); closing runs
`voting.ranking.schulze`, freezes its result on the Vote with the counts behind it and seals the
rankings: they stay, without juror or time, in an order of their content, and who ranked is
known from `Participation` only. Each function owns its transaction and locks the Vote row;
callers have checked the permission named.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from juries import audit, notifications
from juries.permissions import Action, can

from .decisions import (
    DecisionError,
    has_taken_part,
    juror_ids,
    lock_vote,
    lock_vote_shared,
    publish_state,
    record_participation,
    refuse_unless_state,
)
from .models import Part, PriorityBallot, Recommendation, VoteState
from .ranking import schulze


def adopted_recommendations(vote):
    return list(Recommendation.objects.adopted().filter(jury=vote.jury, results__vote=vote))


def open_ranking(vote, by):
    """Let jurors rank the adopted recommendations by priority. Needs Action.MANAGE_VOTE. Only
    for a closed vote whose rules asked for a ranking, with at least two adopted
    recommendations. Locks the vote; audited; publishes "vote.ranking-opened"; tells every juror
    (`notify`: it needs them), by email as each chose."""
    with transaction.atomic():
        vote = lock_vote(vote)
        refuse_unless_state(vote, VoteState.CLOSED)
        if not vote.ranking:
            raise DecisionError(_("The rules of this vote did not include a priority ranking."))
        if vote.ranking_opened_at is not None:
            raise DecisionError(_("The priority ranking has already opened."))
        if len(adopted_recommendations(vote)) < 2:
            raise DecisionError(_("Ranking needs at least two adopted recommendations."))
        vote.ranking_opened_at = timezone.now()
        vote.save(update_fields=["ranking_opened_at"])
        audit.record(
            actor=by,
            action="vote.ranking-open",
            summary=_("Opened the priority ranking."),
            jury=vote.jury,
            target=vote,
        )
        publish_state(vote, "vote.ranking-opened")
        # It asks something of every juror: on What's new, and emailed as each chose.
        notifications.notify(
            jury=vote.jury,
            recipients=vote.jury.memberships.jurors().reachable().select_related("user"),
            kind="ranking.opened",
            target=vote,
            needs_action=True,
            context={
                "vote": vote,
                "ranking_url": settings.SITE_URL
                + reverse("voting:vote-ranking", args=[vote.jury.slug]),
            },
        )
    return vote


def rank(vote, juror, order):
    """Save `juror`'s priority order: adopted recommendation ids, most important first. Some may
    be left out. Needs Action.CAST_BALLOT (checked again here). One per juror, by upsert; records
    (once) that the juror took part in the ranking."""
    try:
        order = [int(pk) for pk in order]
    except (TypeError, ValueError) as error:
        raise DecisionError(_("Only adopted recommendations are ranked.")) from error
    if not order:
        raise DecisionError(_("Give a place to at least one recommendation."))
    if len(set(order)) != len(order):
        raise DecisionError(_("Give each recommendation a different place."))
    with transaction.atomic():
        vote = lock_vote_shared(vote)
        if not vote.ranking_is_open:
            raise DecisionError(_("The priority ranking is not open."))
        if not can(juror, Action.CAST_BALLOT, vote.jury):
            raise DecisionError(
                _("Only the jury's jurors rank, while it is at the Decision stage.")
            )
        if not set(order) <= {r.pk for r in adopted_recommendations(vote)}:
            raise DecisionError(_("Only adopted recommendations are ranked."))
        PriorityBallot.objects.bulk_create(
            [PriorityBallot(vote=vote, juror=juror, order=order)],
            update_conflicts=True,
            unique_fields=["vote", "juror"],
            update_fields=["order", "changed_at"],
        )
        record_participation(vote, juror, Part.RANKING)


def ranking_of(vote, juror):
    """`juror`'s own order while the ranking is open; [] once it has closed and been sealed."""
    if not vote.ranking_is_open:
        return []
    ballot = PriorityBallot.objects.filter(vote=vote, juror=juror).first()
    return ballot.order if ballot else []


def has_ranked(vote, juror):
    return has_taken_part(vote, juror, Part.RANKING)


def close_ranking(vote, by):
    """Close the ranking and store the Schulze result in `vote.ranking_result`: the places and
    the counts behind them (pairwise preferences, strongest paths, keyed "a>b"). Needs
    Action.MANAGE_VOTE. Only current jurors' rankings count; they are then sealed
    (`seal_rankings`) in the same transaction. Locks the vote; audited; publishes
    "vote.ranking-closed"."""
    with transaction.atomic():
        vote = lock_vote(vote)
        if not vote.ranking_is_open:
            raise DecisionError(_("The priority ranking is not open."))
        candidates = sorted(r.pk for r in adopted_recommendations(vote))
        known = set(candidates)
        orders = [
            [pk for pk in order if pk in known]
            for order in PriorityBallot.objects.filter(
                vote=vote, juror__in=juror_ids(vote.jury)
            ).values_list("order", flat=True)
        ]
        result = schulze(candidates, orders)
        seal_rankings(vote, orders)
        vote.ranking_result = {
            "method": "schulze",
            "candidates": candidates,
            "ballots": len(orders),
            "places": result.places,
            "pairwise": {f"{a}>{b}": n for (a, b), n in result.pairwise.items()},
            "strongest": {f"{a}>{b}": n for (a, b), n in result.strongest.items()},
        }
        vote.ranking_closed_at = timezone.now()
        vote.save(update_fields=["ranking_result", "ranking_closed_at"])
        audit.record(
            actor=by,
            action="vote.ranking-close",
            summary=_("Closed the priority ranking (%(ballots)s rankings).")
            % {"ballots": len(orders)},
            jury=vote.jury,
            target=vote,
        )
        publish_state(vote, "vote.ranking-closed")
    return vote


def seal_rankings(vote, orders):
    """Replace the vote's priority ballots by the counted `orders` (lists of recommendation ids),
    with no juror and no time, written in sorted order so that ids and positions say nothing of
    who ranked or when. Call it inside the transaction that closes the ranking."""
    PriorityBallot.objects.filter(vote=vote).delete()
    PriorityBallot.objects.bulk_create(
        PriorityBallot(vote=vote, juror=None, order=order, changed_at=None)
        for order in sorted(orders)
    )
