"""Moving a jury through its stages."""

from django.db import transaction
from django.utils.translation import gettext as _

from . import audit, events, notifications
from .models import DrawState, Jury, Stage, StageChange
from .permissions import Action
from .refusals import Refused
from .selection import retention


class StageChangeError(Refused):
    pass


# Other apps add checks here (in their AppConfig.ready) for moves their state forbids, such as
# leaving the decision stage while a vote is open. Each is called as check(jury, from_stage,
# to_stage) inside the locked transaction and returns a message to refuse with, or "".
STAGE_CHECKS = []

# Other apps add here what the jury's members are told when it moves: each is called as
# tell(change) inside the transaction, after the move is saved, and may `notify` some members
# more precisely (jurors asked to sign off); everyone not told so gets the general news.
STAGE_NEWS = []


def _draw_unfinished(jury, current, to_stage):
    """Jurors start learning only once the lottery is drawn (or there is none under way): a draw
    still computing, computed, or published and waiting for its seed would be left half done."""
    if current != Stage.SELECTION or to_stage != Stage.LEARNING:
        return None
    waiting = [DrawState.QUEUED, DrawState.RUNNING, DrawState.COMPUTED, DrawState.PUBLISHED]
    if jury.draws.filter(state__in=waiting).exists():
        return _(
            "The lottery is not finished: draw the panel (or cancel a computation not yet "
            "published) on the draw page before jurors start learning."
        )
    return None


def _no_jurors(jury, current, to_stage):
    """Learning, and every stage after it, is the jurors' work: a jury with none cannot start."""
    if current != Stage.SELECTION or to_stage != Stage.LEARNING:
        return None
    if not jury.memberships.jurors().exists():
        return _(
            "The jury has no jurors yet. Draw the panel and invite the jurors, or invite them "
            "from the dashboard, before they start learning."
        )
    return None


STAGE_CHECKS.append(_draw_unfinished)
STAGE_CHECKS.append(_no_jurors)


def what_stops(jury, to_stage):
    """Why `jury` cannot move to `to_stage` now: the refusals of every stage check, [] if none.
    For pages that offer the move only when it can be made; `change_stage` asks the same checks
    again, under its lock."""
    current = Stage(jury.stage)
    found = (check(jury, current, Stage(to_stage)) for check in STAGE_CHECKS)
    return [refusal for refusal in found if refusal]


def change_stage(*, jury, to_stage, by, note=""):
    """Move `jury` to the stage next to its current one, recording who did it and why.

    Only adjacent moves are allowed, so no stage is skipped by accident. Locks the jury row.
    The caller has already checked Action.CHANGE_STAGE.
    """
    to_stage = Stage(to_stage)
    with transaction.atomic():
        locked = Jury.objects.select_for_update().get(pk=jury.pk)
        current = Stage(locked.stage)
        if to_stage == current:  # already done, for example by another facilitator just now
            jury.stage = current
            return None
        if to_stage not in (current.next, current.previous):
            raise StageChangeError(
                _("The jury is now at “%(stage)s”; it can only move one stage at a time.")
                % {"stage": current.label}
            )
        for check in STAGE_CHECKS:
            refusal = check(locked, current, to_stage)
            if refusal:
                raise StageChangeError(refusal)
        locked.stage = to_stage
        locked.save(update_fields=["stage"])
        if to_stage == Stage.RESPONSE:  # the report is out: the jury has ended
            retention.forget_access_needs(locked, by=by)
        change = StageChange.objects.create(
            jury=locked, from_stage=current, to_stage=to_stage, changed_by=by, note=note
        )
        for tell in STAGE_NEWS:
            tell(change)
        notifications.tell_stage_changed(change)
        audit.record(
            actor=by,
            action="stage.change",
            summary=_("Moved the jury from “%(from)s” to “%(to)s”.")
            % {"from": current.label, "to": to_stage.label},
            jury=locked,
            target=locked,
        )
        # Open pages learn the new stage, so what they may receive changes with it.
        events.publish(
            locked, "stage.changed", requires=Action.VIEW_JURY, data={"stage": to_stage.value}
        )
    jury.stage = locked.stage
    return change
