"""Sittings as iCalendar (.ics) files that any calendar app can add."""

from datetime import UTC
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event


def sitting_uid(sitting_id):
    """The same for every file about one sitting, so calendars update the event they hold."""
    return f"sitting-{sitting_id}@deliberate"


def _organiser(event):
    """Who sends the invitation: calendar apps expect one in a REQUEST or CANCEL."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if address:
        event.add("organizer", f"mailto:{address}")


def _calendar(method):
    calendar = Calendar()
    calendar.add("prodid", "-//Deliberate//Sittings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    return calendar


def sitting_calendar(sitting, url, *, method="PUBLISH", sequence=None):
    """The sitting as one event. Emails send it with METHOD:REQUEST and a SEQUENCE that grows
    with each change, so a calendar app replaces the event it already has."""
    calendar = _calendar(method)
    event = Event()
    event.add("uid", sitting_uid(sitting.pk))
    event.add("dtstamp", timezone.now())
    if sequence is not None:
        event.add("sequence", sequence)
        _organiser(event)
    event.add("summary", f"{sitting.jury.title}: {sitting.title}")
    # Always UTC: a named zone would need a VTIMEZONE block in the file.
    event.add("dtstart", sitting.starts_at.astimezone(UTC))
    event.add("dtend", sitting.ends_at.astimezone(UTC))
    agenda = "\n".join(
        _("%(title)s (%(minutes)s min)") % {"title": item.title, "minutes": item.planned_minutes}
        for item in sitting.agenda_items.all()
    )
    description = "\n\n".join(part for part in (sitting.description, agenda, url) if part)
    event.add("description", description)
    event.add("url", url)
    if sitting.video_url:
        event.add("location", sitting.video_url)
    calendar.add_component(event)
    return calendar.to_ical()


def cancelled_calendar(*, sitting_id, summary, starts_at, ends_at, url, sequence):
    """A METHOD:CANCEL file for a sitting that has been cancelled (and so no longer exists)."""
    calendar = _calendar("CANCEL")
    event = Event()
    event.add("uid", sitting_uid(sitting_id))
    event.add("dtstamp", timezone.now())
    event.add("sequence", sequence)
    event.add("status", "CANCELLED")
    _organiser(event)
    event.add("summary", summary)
    event.add("dtstart", starts_at.astimezone(UTC))
    event.add("dtend", ends_at.astimezone(UTC))
    event.add("description", _("This sitting has been cancelled.") + "\n\n" + url)
    event.add("url", url)
    calendar.add_component(event)
    return calendar.to_ical()
