"""Notifications' lines for templates that list many of them: `{% load news %}` and
`{% for line in notifications|news_lines %}` (see juries/notifications.py `describe_all`)."""

from django import template

from ..notifications import describe_all

register = template.Library()


@register.filter
def news_lines(found):
    """Each notification with its line (`line.notification`, `line.text`, `line.link`), those
    about something gone left out, in a fixed number of queries however many there are."""
    return [
        {"notification": notification, **described}
        for notification, described in describe_all(found or [])
    ]
