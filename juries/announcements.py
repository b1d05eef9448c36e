"""Announcements: facilitators write to every member of the jury, or to its jurors only.

Each person sees an announcement on their jury home until they mark it read, and is sent it by
email through the worker, by reference (the announcement's id and the membership's, never the
text). Posting one is recorded in the audit log.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from . import audit, emails
from .models import AnnouncementRead, Audience, Role


def recipients(announcement):
    memberships = announcement.jury.memberships.select_related("user")
    if announcement.audience == Audience.JURORS:
        memberships = memberships.filter(role=Role.JUROR)
    return memberships


def post_announcement(*, jury, form, by):
    with transaction.atomic():
        announcement = form.save(commit=False)
        announcement.jury = jury
        announcement.author = by
        announcement.save()
        AnnouncementRead.objects.create(announcement=announcement, user=by)  # its author has
        sent = 0
        for membership in recipients(announcement):
            emails.queue(
                "juries/email/announcement",
                to=membership,
                context={"announcement": announcement, "jury": jury},
            )
            sent += 1
        audit.record(
            actor=by,
            action="announcement.post",
            jury=jury,
            target=announcement,
            summary=_("Posted the announcement “%(title)s” to %(audience)s.")
            % {"title": announcement.title, "audience": announcement.get_audience_display()},
            data={"recipients": sent},
        )
    return announcement


def addressed_to(access):
    """The announcements addressed to this member, newest first."""
    found = access.jury.announcements.all()
    if access.membership.role != Role.JUROR:
        found = found.filter(audience=Audience.EVERYONE)
    return found


def for_member(access):
    """What the list shows: facilitators see every announcement, others those sent to them."""
    if access.membership.role == Role.FACILITATOR:
        return access.jury.announcements.all()
    return addressed_to(access)


def unread_for(access, user):
    return addressed_to(access).exclude(reads__user=user)


def mark_read(*, announcement, user):
    """Idempotent: marking an announcement read twice keeps the first time."""
    AnnouncementRead.objects.get_or_create(announcement=announcement, user=user)
