"""Sittings as iCalendar (.ics) files that any calendar app can add."""

from datetime import UTC

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event


def sitting_calendar(sitting, url):
    calendar = Calendar()
    calendar.add("prodid", "-//Deliberate//Sittings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"sitting-{sitting.pk}@deliberate")
    event.add("dtstamp", timezone.now())
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
