"""Scheduling sittings, and keeping the record of those that took place.

A sitting has been *held* once its start time has passed, or once anything of it happened early:
an app above juries (the live room) registers a sign of that with `register_held_sign`. A held
sitting is never deleted, by any route: not cancelled here, not in the admin, not by deleting it
(or its jury) in code — `refuse_deleting_held` is connected to Sitting's pre_delete, so even a
cascade stops. Its agenda, attendance, turns and poll results stay on its page. A sitting not yet
held can be cancelled: it is marked cancelled, not deleted, so it leaves the calendar, the
reminders and the live room but stays in the jury's record (and the audit log says who).

Scheduling, moving (a new start or end time) and cancelling a sitting email every reachable
member once, with a calendar file, queued when the change commits. A sitting's calendar files
share one UID; their SEQUENCE is how many times it has been saved (from the audit log), so each
file replaces the last. Changing only a sitting's words or agenda sends nothing.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, emails, notifications
from .calendar import cancelled_calendar, sitting_calendar
from .models import AuditEntry, Membership
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
    was = None if creating else type(form.instance).objects.get(pk=form.instance.pk)
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
        if creating:
            _tell_members(sitting, "scheduled")
        elif (was.starts_at, was.ends_at) != (sitting.starts_at, sitting.ends_at):
            _tell_members(sitting, "moved")
            if was.starts_at != sitting.starts_at:
                notifications.forget_reminders(sitting)
    return sitting


def cancel_sitting(*, sitting, by):
    """Mark a sitting not yet held as cancelled: it leaves the calendar, its reminders and its
    room, and stays listed as cancelled. A held sitting, or one already cancelled, is refused."""
    if is_held(sitting):
        raise held_refusal(sitting)
    with transaction.atomic():
        # Locked and read again, so two facilitators cancelling at once send one email each.
        current = type(sitting).with_cancelled.select_for_update().get(pk=sitting.pk)
        if current.is_cancelled:
            raise Refused(
                _("The sitting “%(title)s” was already cancelled.") % {"title": sitting.title}
            )
        _tell_members(sitting, "cancelled")
        audit.record(
            actor=by,
            action="sitting.cancel",
            jury=sitting.jury,
            target=sitting,
            summary=_("Cancelled the sitting “%(title)s”.") % {"title": sitting.title},
        )
        sitting.cancelled_at = timezone.now()
        sitting.cancelled_by = by
        sitting.save(update_fields=["cancelled_at", "cancelled_by"])


def _sequence(sitting):
    """How many times the sitting has been saved before: 0 when scheduled, then 1, 2, …"""
    saves = AuditEntry.objects.filter(
        target_type="sitting",
        target_id=str(sitting.pk),
        action__in=["sitting.create", "sitting.edit"],
    ).count()
    return max(saves - 1, 0)


def _tell_members(sitting, what):
    """Queue, once the change commits, one email to each reachable member of the jury. The task
    holds ids (and for a cancelled sitting, which the default manager no longer finds, its title
    and times) only."""
    if what == "cancelled":
        context = {
            "what": what,
            "jury": sitting.jury,
            "sitting_id": sitting.pk,
            "title": sitting.title,
            "starts_at": sitting.starts_at,
            "ends_at": sitting.ends_at,
            "sequence": _sequence(sitting) + 1,
        }
    else:
        context = {"what": what, "sitting": sitting, "sequence": _sequence(sitting)}
    members = list(Membership.objects.filter(jury_id=sitting.jury_id).reachable())
    # Listed on "What's new" too, without a second email (this one goes whatever they chose).
    # A cancelled sitting is kept, so its line still links to its page, which says so.
    notifications.notify(
        jury=sitting.jury,
        recipients=Membership.objects.filter(jury_id=sitting.jury_id).select_related("user"),
        kind=f"sitting.{what}",
        target=sitting,
        needs_action=False,
        email=False,
    )

    def queue():
        for member in members:
            emails.queue("juries/email/sitting", to=member, context=context)

    transaction.on_commit(queue)


def calendar_attachments(context):
    """The calendar file sent with a sitting email (see emails.ATTACHMENTS)."""
    if context["what"] == "cancelled":
        jury = context["jury"]
        url = settings.SITE_URL + reverse("juries:sitting-list", args=[jury.slug])
        ics = cancelled_calendar(
            sitting_id=context["sitting_id"],
            summary=f"{jury.title}: {context['title']}",
            starts_at=context["starts_at"],
            ends_at=context["ends_at"],
            url=url,
            sequence=context["sequence"],
        )
        return [("cancelled.ics", ics, "text/calendar")]
    sitting = context["sitting"]
    url = settings.SITE_URL + sitting.get_absolute_url()
    ics = sitting_calendar(sitting, url, method="REQUEST", sequence=context["sequence"])
    return [("sitting.ics", ics, "text/calendar")]
