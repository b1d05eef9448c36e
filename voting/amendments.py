"""Amendments: a juror proposes new wording; a facilitator accepts it when the jury agrees, sets
it aside, or puts it to a quick vote of the jurors (accepted if more say yes than no).

Like `voting.drafting`, each function owns its transaction, publishes a "recommendation.changed"
event with the number only (never who voted how), audits the facilitators' decisions, and
raises DraftingError for what the state of the jury forbids.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from juries import audit
from juries.permissions import Action, can

from .drafting import (
    FIELDS,
    DraftingError,
    add_revision,
    announce,
    clean_wording,
    lock_for_change,
    same_wording,
)
from .models import Amendment, AmendmentState, AmendmentVote


def propose_amendment(recommendation, by, statement, rationale, addressed_to, reason):
    """A juror proposes new wording for the facilitators to put to the jury. Needs
    Action.DRAFT_RECOMMENDATIONS. Refused if it changes nothing or gives no reason."""
    wording = clean_wording(statement, rationale, addressed_to)
    reason = (reason or "").strip()
    if not reason:
        raise DraftingError(_("Say why you propose this change."))
    with transaction.atomic():
        locked = lock_for_change(recommendation)
        if same_wording(locked, wording):
            raise DraftingError(_("The amendment does not change anything yet."))
        amendment = Amendment.objects.create(
            recommendation=locked,
            proposed_by=by,
            reason=reason[:500],
            based_on=locked.revisions.order_by("-number").first(),
            **wording,
        )
        announce(locked.jury, locked.number)
    return amendment


def _deciding(amendment, states):
    """The amendment and its recommendation, both locked, if the amendment is in `states`."""
    recommendation = lock_for_change(amendment.recommendation)
    locked = Amendment.objects.select_for_update().get(pk=amendment.pk)
    if locked.state not in states:
        raise DraftingError(
            _("This amendment is no longer waiting for that: it is “%(state)s”.")
            % {"state": locked.get_state_display()}
        )
    return locked, recommendation


def is_outdated(amendment, recommendation):
    """True when `recommendation` has a newer version than the one the amendment was written
    against (or that version is not known): accepting it would silently undo the newer one."""
    latest = recommendation.revisions.order_by("-number").values_list("pk", flat=True).first()
    return amendment.based_on_id is None or amendment.based_on_id != latest


def _refuse_if_outdated(amendment, recommendation):
    if is_outdated(amendment, recommendation):
        raise DraftingError(
            _(
                "The recommendation has changed since this amendment was proposed. Ask its "
                "proposer to propose it again against the current wording."
            )
        )


def _decide(amendment, by, state, note):
    amendment.state = state
    amendment.decided_by = by
    amendment.decided_at = timezone.now()
    amendment.decision_note = str(note)[:300]
    amendment.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])


def _apply(amendment, recommendation, note):
    """Make the amendment's wording current, as a version written by its proposer."""
    wording = {name: getattr(amendment, name) for name in FIELDS}
    if not same_wording(recommendation, wording):
        add_revision(recommendation, author=amendment.proposed_by, wording=wording, note=note)


def _audit_decision(recommendation, by, summary):
    audit.record(
        actor=by,
        action="amendment.decide",
        jury=recommendation.jury,
        target=recommendation,
        summary=summary,
    )


def accept_amendment(amendment, by, note=""):
    """A facilitator accepts an amendment the jury agrees on. Needs
    Action.MANAGE_RECOMMENDATIONS. Audited. The new version is credited to its proposer.
    Refused if the recommendation has a newer version than the amendment was written against."""
    with transaction.atomic():
        amendment, recommendation = _deciding(amendment, [AmendmentState.OPEN])
        _refuse_if_outdated(amendment, recommendation)
        note = (note or "").strip() or _("Accepted by consensus.")
        _apply(
            amendment,
            recommendation,
            _("Amendment accepted by consensus: %(reason)s") % {"reason": amendment.reason},
        )
        _decide(amendment, by, AmendmentState.ACCEPTED, note)
        _audit_decision(
            recommendation,
            by,
            _("Accepted by consensus an amendment to recommendation %(number)s.")
            % {"number": recommendation.number},
        )
        announce(recommendation.jury, recommendation.number)
    return amendment


def reject_amendment(amendment, by, note=""):
    """A facilitator sets an amendment aside. Needs Action.MANAGE_RECOMMENDATIONS. Audited."""
    with transaction.atomic():
        amendment, recommendation = _deciding(amendment, AmendmentState.undecided())
        _decide(amendment, by, AmendmentState.REJECTED, (note or "").strip() or _("Not accepted."))
        _audit_decision(
            recommendation,
            by,
            _("Did not accept an amendment to recommendation %(number)s.")
            % {"number": recommendation.number},
        )
        announce(recommendation.jury, recommendation.number)
    return amendment


def put_amendment_to_vote(amendment, by):
    """A facilitator asks the jurors for a quick yes or no. Needs Action.MANAGE_RECOMMENDATIONS."""
    with transaction.atomic():
        amendment, recommendation = _deciding(amendment, [AmendmentState.OPEN])
        amendment.state = AmendmentState.VOTING
        amendment.save(update_fields=["state"])
        _audit_decision(
            recommendation,
            by,
            _("Put an amendment to recommendation %(number)s to a quick vote.")
            % {"number": recommendation.number},
        )
        announce(recommendation.jury, recommendation.number)
    return amendment


def vote_on_amendment(amendment, juror, agree):
    """A juror says yes or no in a quick vote; voting again changes their answer (one row per
    juror, by constraint). Needs Action.DRAFT_RECOMMENDATIONS. The event names nobody."""
    jury = amendment.recommendation.jury
    if not can(juror, Action.DRAFT_RECOMMENDATIONS, jury):
        raise DraftingError(_("Only jurors vote on amendments."))
    with transaction.atomic():
        amendment, recommendation = _deciding(amendment, [AmendmentState.VOTING])
        vote, _created = AmendmentVote.objects.update_or_create(
            amendment=amendment, juror=juror, defaults={"agree": bool(agree)}
        )
        announce(recommendation.jury, recommendation.number)
    return vote


def amendment_counts(amendment):
    """(yes, no) in the amendment's quick vote."""
    yes = amendment.votes.filter(agree=True).count()
    return yes, amendment.votes.count() - yes


def close_amendment_vote(amendment, by):
    """A facilitator closes the quick vote: accepted if more said yes than no, otherwise not.
    The counts are kept in the decision note. Needs Action.MANAGE_RECOMMENDATIONS. Audited.
    A majority for an outdated amendment (see `is_outdated`) is refused and the vote stays open:
    the facilitator sets it aside instead."""
    with transaction.atomic():
        amendment, recommendation = _deciding(amendment, [AmendmentState.VOTING])
        yes, no = amendment_counts(amendment)
        counts = {"yes": yes, "no": no}
        if yes > no:
            _refuse_if_outdated(amendment, recommendation)
            note = _("Accepted in a quick vote: %(yes)s for, %(no)s against.") % counts
            _apply(amendment, recommendation, note)
            _decide(amendment, by, AmendmentState.ACCEPTED, note)
        else:
            note = _("Not accepted in a quick vote: %(yes)s for, %(no)s against.") % counts
            _decide(amendment, by, AmendmentState.REJECTED, note)
        _audit_decision(
            recommendation,
            by,
            _("Closed the quick vote on an amendment to recommendation %(number)s. %(note)s")
            % {"number": recommendation.number, "note": note},
        )
        announce(recommendation.jury, recommendation.number)
    return amendment
