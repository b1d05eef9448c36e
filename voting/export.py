"""A person's part in the decisions, for the download of everything Deliberate holds about them.

Their own ballots of an open vote (and their ranking while it is open) are included: they are the
one person entitled to see them. A closed vote's ballots are sealed and no longer know whose they
were, so the download says only that the person voted: it cannot serve as a receipt of how.
"""

from django.utils.translation import gettext as _

from .models import (
    Amendment,
    Ballot,
    DissentSigner,
    Part,
    Participation,
    PriorityBallot,
    Recommendation,
    Revision,
    SignOff,
    VoteState,
)


def decisions_of(user):
    return {
        "wordings": [
            {
                "jury": revision.recommendation.jury.title,
                "recommendation": revision.recommendation.number,
                "version": revision.number,
                "written": revision.created_at.isoformat(),
                "statement": revision.statement,
                "rationale": revision.rationale,
                "addressed_to": revision.addressed_to,
                "note": revision.note,
            }
            for revision in Revision.objects.filter(author=user).select_related(
                "recommendation__jury"
            )
        ],
        "amendments": [
            {
                "jury": amendment.recommendation.jury.title,
                "recommendation": amendment.recommendation.number,
                "proposed": amendment.created_at.isoformat(),
                "statement": amendment.statement,
                "reason": amendment.reason,
                "state": amendment.state,
            }
            for amendment in Amendment.objects.filter(proposed_by=user).select_related(
                "recommendation__jury"
            )
        ],
        "votes": _votes_taken_part_in(user),
        "ballots": _open_ballots(user),
        "priority_rankings": _open_rankings(user),
        "dissent": [
            {
                "jury": signer.dissent.jury.title,
                "signed": signer.signed_at.isoformat(),
                "text": signer.dissent.text,
            }
            for signer in DissentSigner.objects.filter(juror=user).select_related("dissent__jury")
        ],
        "sign_off": [
            {"jury": sign.jury.title, "choice": sign.choice, "note": sign.note}
            for sign in SignOff.objects.filter(juror=user).select_related("jury")
        ],
    }


def _statement(part, still_open):
    """What the download says of a vote (or ranking) the person took part in: never how."""
    if part == Part.VOTE and still_open:
        return _("You have voted. Your current ballot is listed under “ballots”.")
    if part == Part.VOTE:
        return _(
            "You voted. When the vote closed, your ballot was counted and kept without your "
            "name, so it is not in this download."
        )
    if still_open:
        return _(
            "You have ranked the recommendations. Your current ranking is listed under "
            "“priority_rankings”."
        )
    return _(
        "You ranked the recommendations. When the ranking closed, your ranking was counted and "
        "kept without your name, so it is not in this download."
    )


def _votes_taken_part_in(user):
    """Each vote and ranking the person took part in, from their Participation records."""
    shown = []
    taken = Participation.objects.filter(juror=user).select_related("vote__jury")
    for participation in taken.order_by("vote_id", "part"):
        vote = participation.vote
        still_open = vote.is_open if participation.part == Part.VOTE else vote.ranking_is_open
        shown.append(
            {
                "jury": vote.jury.title,
                "part": participation.part,
                "open": still_open,
                "statement": _statement(participation.part, still_open),
            }
        )
    return shown


def _open_ballots(user):
    """The person's own ballots of votes still open (sealed ballots have no juror anyway)."""
    return [
        {
            "jury": ballot.vote.jury.title,
            "recommendation": ballot.recommendation.number,
            "level": ballot.level,
            "reason": ballot.reason,
            "reason_published": ballot.publish_reason,
            "changed": ballot.changed_at.isoformat() if ballot.changed_at else None,
        }
        for ballot in Ballot.objects.filter(juror=user, vote__state=VoteState.OPEN).select_related(
            "vote__jury", "recommendation"
        )
    ]


def _open_rankings(user):
    """The person's own priority order while the ranking is open, by recommendation number."""
    rankings = PriorityBallot.objects.filter(
        juror=user, vote__ranking_opened_at__isnull=False, vote__ranking_closed_at__isnull=True
    ).select_related("vote__jury")
    shown = []
    for ballot in rankings:
        numbers = dict(
            Recommendation.objects.filter(pk__in=ballot.order).values_list("pk", "number")
        )
        shown.append(
            {
                "jury": ballot.vote.jury.title,
                "order": [numbers[pk] for pk in ballot.order if pk in numbers],
                "changed": ballot.changed_at.isoformat() if ballot.changed_at else None,
            }
        )
    return shown
