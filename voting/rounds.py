"""Voting in rounds: the jury's closed rounds, and reopening drafting after an indicative one.

A vote is a numbered round, indicative or final (`voting.models.Vote`); `voting.decisions`
prepares, opens and closes each one. After an indicative round has closed, `reopen_drafting`
sends the jury back to drafting for the recommendations that fell short (or for all); a final
round follows. Only a final round adopts anything.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from juries import audit
from juries.models import Stage
from juries.stages import change_stage

from .decisions import DecisionError, current_vote, lock_vote
from .models import Recommendation, Vote, VoteState


def closed_rounds(jury):
    """The jury's closed votes, first round first."""
    return list(Vote.objects.filter(jury=jury, state=VoteState.CLOSED).order_by("round"))


def latest_closed(jury):
    """The jury's latest closed round, or None: the one whose results count."""
    return Vote.objects.filter(jury=jury, state=VoteState.CLOSED).order_by("-round").first()


def round_of(jury, number):
    """The jury's closed round `number`, or None."""
    return Vote.objects.filter(jury=jury, state=VoteState.CLOSED, round=number).first()


def may_reopen(vote):
    """Whether drafting may reopen after `vote` (see `reopen_drafting`); the jury's stage aside."""
    return vote.is_closed and vote.indicative and not vote.is_reopened


def reopen_drafting(vote, by, *, everything=False):
    """After an indicative round has closed, reopen drafting so that the jury revises before a
    final round. Needs Action.MANAGE_VOTE.

    The approach: the jury goes back from the Decision stage to the Drafting stage through the
    stage service (`juries.stages.change_stage`, so the move is recorded and checked like any
    other), and the round records what was reopened: the recommendations that did not reach the
    threshold (adopted ones carry into the final vote unchanged), or, with `everything`, every
    active recommendation (new ones may then be proposed too). `voting.drafting.why_locked`
    reads that record; the round's ballots, results and rules are not touched. The facilitator
    then moves the jury to the Decision stage and prepares the next round (`prepare_vote`).

    Refused unless `vote` is the jury's latest round to have opened, closed and indicative (the
    next round may already be in preparation), and drafting has not reopened after it yet. Locks
    the vote; audited.
    """
    with transaction.atomic():
        vote = lock_vote(vote)
        if not (vote.is_closed and vote.indicative):
            raise DecisionError(_("Drafting reopens only after an indicative vote has closed."))
        if vote.is_reopened:
            raise DecisionError(_("Drafting has already reopened after this vote."))
        latest = current_vote(vote.jury)
        if latest.pk != vote.pk and not latest.is_preparing:
            raise DecisionError(_("A later round of the vote has already opened."))
        if vote.jury.stage not in (Stage.DECISION, Stage.DRAFTING):
            raise DecisionError(_("Drafting can only reopen from the Decision stage."))
        active = set(
            Recommendation.objects.active().filter(jury=vote.jury).values_list("pk", flat=True)
        )
        results = vote.results.filter(recommendation__in=active).select_related("recommendation")
        reopened = sorted(
            (row.recommendation for row in results if everything or not row.is_adopted),
            key=lambda recommendation: recommendation.number,
        )
        if not reopened and not everything:
            raise DecisionError(
                _(
                    "Every recommendation reached the threshold. Reopen drafting for all of "
                    "them, or prepare the final vote."
                )
            )
        vote.reopened_at = timezone.now()
        vote.reopened_by = by
        vote.reopened_all = bool(everything)
        vote.reopened = [recommendation.pk for recommendation in reopened]
        vote.save(update_fields=["reopened_at", "reopened_by", "reopened_all", "reopened"])
        numbers = ", ".join(str(recommendation.number) for recommendation in reopened)
        audit.record(
            actor=by,
            action="vote.reopen-drafting",
            summary=(
                _("Reopened drafting for every recommendation after the indicative vote.")
                if everything
                else _(
                    "Reopened drafting after the indicative vote for the recommendations that "
                    "did not reach the threshold: %(numbers)s."
                )
                % {"numbers": numbers}
            ),
            jury=vote.jury,
            target=vote,
        )
        change_stage(
            jury=vote.jury,
            to_stage=Stage.DRAFTING,
            by=by,
            note=_("Drafting reopened after the indicative vote (round %(round)s).")
            % {"round": vote.round},
        )
    return vote
