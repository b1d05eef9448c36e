"""Scheduling sittings, and keeping the record of those that took place.

A sitting has been *held* once its start time has passed, or once anything of it happened early:
an app above juries (the live room) registers a sign of that with `register_held_sign`. A held
sitting is never deleted, by any route: not cancelled here, not in the admin, not by deleting it
(or its jury) in code — `refuse_deleting_held` is connected to Sitting's pre_delete, so even a
cascade stops. Its agenda, attendance, turns and poll results stay on its page. A sitting not yet
held can be cancelled, which removes it from the calendar (recorded in the audit log).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .refusals import Refused

# Callables sitting -> bool, each true when something shows the sitting took place.
HELD_SIGNS = []


class SittingHeld(Refused):
    """A sitting that took place stays on record."""


def register_held_sign(sign):
    """Also count `sign(sitting)` being true as the sitting having been held."""
    if sign not in HELD_SIGNS:
        HELD_SIGNS.append(sign)


def is_held(sitting, now=None):
    """True once the sitting's start time has passed, or a registered sign says it took place."""
    if sitting.starts_at <= (now or timezone.now()):
        return True
    return any(sign(sitting) for sign in HELD_SIGNS)


def held_refusal(sitting):
    return SittingHeld(
        _(
            "The sitting “%(title)s” has taken place, so it stays on record: it cannot be "
            "cancelled or deleted. Its agenda, attendance, turns and poll results stay on its page."
        )
        % {"title": sitting.title}
    )


def refuse_deleting_held(sender, instance, **kwargs):
    """pre_delete of Sitting: no route deletes a held sitting."""
    if instance.pk is not None and is_held(instance):
        raise held_refusal(instance)


def save_sitting(*, jury, form, agenda, by):
    """Save a sitting and its agenda together, recording the change."""
    creating = form.instance.pk is None
    with transaction.atomic():
        sitting = form.save(commit=False)
        sitting.jury = jury
        sitting.save()
        agenda.instance = sitting
        agenda.save()
        audit.record(
            actor=by,
            action="sitting.create" if creating else "sitting.edit",
            jury=jury,
            target=sitting,
            summary=(
                _("Scheduled the sitting “%(title)s”.")
                if creating
                else _("Changed the sitting “%(title)s”.")
            )
            % {"title": sitting.title},
        )
    return sitting


def cancel_sitting(*, sitting, by):
    """Cancel a sitting not yet held: it leaves the calendar. A held sitting is refused."""
    if is_held(sitting):
        raise held_refusal(sitting)
    with transaction.atomic():
        audit.record(
            actor=by,
            action="sitting.cancel",
            jury=sitting.jury,
            target=sitting,
            summary=_("Cancelled the sitting “%(title)s”.") % {"title": sitting.title},
        )
        sitting.delete()
