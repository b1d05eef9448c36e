"""Scheduling sittings."""

from django.db import transaction
from django.utils.translation import gettext as _

from . import audit


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
    with transaction.atomic():
        audit.record(
            actor=by,
            action="sitting.cancel",
            jury=sitting.jury,
            target=sitting,
            summary=_("Cancelled the sitting “%(title)s”.") % {"title": sitting.title},
        )
        sitting.delete()
