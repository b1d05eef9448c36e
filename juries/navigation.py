"""The sections of a jury, linked from the navigation at the top of each of its pages.

Juries' own sections are registered here; an app built on juries registers the sections it holds
in its AppConfig.ready() (`navigation.register(Section(...))`), so juries never names their pages.
The orders in use: 10 home, 20 evidence, 30 questions, 40 discussions, 50 recommendations,
60 sittings, 65 announcements, 70 dashboard, 80 audit log, 90 answering the recommendations,
95 evaluation, 100 the answers,
110 the public page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import Action


def everyone(jury, access):
    return True


def may(action):
    """Shown to whoever may do `action` in the jury (as `access.may.<action>` in a template)."""

    def shown(jury, access):
        return bool(getattr(access, "may", {}).get(action))

    return shown


@dataclass(frozen=True)
class Section:
    key: str  # the page says which section it is in by this key (`section` in jury_nav.html)
    label: str
    url_name: str  # a URL taking the jury's slug
    order: int
    shown: Callable = everyone  # shown(jury, access) -> bool


@dataclass(frozen=True)
class Link:
    key: str
    label: str
    url: str
    shown: bool


SECTIONS = []


def register(section):
    """Add `section` to every jury's navigation; a section registered again under the same key
    replaces the first (an app's ready() may run twice)."""
    SECTIONS[:] = [each for each in SECTIONS if each.key != section.key]
    SECTIONS.append(section)
    SECTIONS.sort(key=lambda each: each.order)


def links_for(jury, access):
    """Every section, in order, with its URL for `jury` and whether `access` shows it (the
    navigation keeps a line for each, shown or not)."""
    links = []
    for section in SECTIONS:
        shown = section.shown(jury, access)
        url = reverse(section.url_name, args=[jury.slug]) if shown else ""
        links.append(Link(section.key, section.label, url, shown))
    return links


register(Section("home", _("Jury home"), "juries:home", 10))
register(Section("sittings", _("Sittings"), "juries:sitting-list", 60))
register(Section("announcements", _("Announcements"), "juries:announcement-list", 65))
register(Section("dashboard", _("Dashboard"), "juries:dashboard", 70, may(Action.VIEW_DASHBOARD)))
register(Section("audit", _("Audit log"), "juries:audit-log", 80, may(Action.VIEW_AUDIT_LOG)))
register(Section("public", _("Public page"), "juries:public", 110))
