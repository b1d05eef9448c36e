"""What needs the facilitators' attention now, at the top of the dashboard.

Each check looks at one kind of outstanding work and returns an `Item` (how many, a plain
sentence, where to act) or None when there is nothing to do. Juries' own checks are registered
here; an app built on juries registers the checks for what it holds in its AppConfig.ready()
(`attention.register(order, check)`), so juries never names their pages. The orders in use:

    10 flagged posts awaiting moderation (deliberate)    40 invitations with no reply
    20 questions waiting for a witness (evidence)         50 the next sitting has no agenda
    25 jurors who have not read the evidence (evidence)
    30 quiet jurors (deliberate)                          60 the organisers' questionnaire (evaluation)

A check is called as check(access, now) and makes at most a couple of queries whatever the
jury's size: counts, never one query per row (the dashboard's query count is tested).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .permissions import Action

# An invitation with no reply after this long needs a reminder or a different address.
INVITATION_REPLY_DAYS = 7


@dataclass(frozen=True)
class Item:
    key: str  # names the item on the page (`attention-<key>`)
    count: int
    text: str
    url: str
    link_label: str


# (order, check) sorted by order; check(access, now) -> Item or None.
CHECKS = []


def register(order, check):
    """Ask `check(access, now)` at `order` (see the module's docstring). Registering the same
    check again changes nothing (an app's ready() may run twice)."""
    if (order, check) in CHECKS:
        return
    CHECKS.append((order, check))
    CHECKS.sort(key=lambda entry: entry[0])


def items_for(access, now):
    """Everything that needs attention in `access.jury` now, most pressing first."""
    found = (check(access, now) for _order, check in CHECKS)
    return [item for item in found if item is not None]


def _unanswered_invitations(access, now):
    if not access.may[Action.INVITE_MEMBERS]:
        return None
    cutoff = now - timedelta(days=INVITATION_REPLY_DAYS)
    count = access.jury.invitations.open().filter(created_at__lt=cutoff).count()
    if not count:
        return None
    return Item(
        key="invitations",
        count=count,
        text=ngettext(
            "%(count)s invitation has had no reply for more than a week. Send it again or "
            "withdraw it.",
            "%(count)s invitations have had no reply for more than a week. Send them again or "
            "withdraw them.",
            count,
        )
        % {"count": count},
        url=reverse("juries:dashboard", args=[access.jury.slug]) + "#invitations-title",
        link_label=_("See the invitations"),
    )


def _sitting_without_agenda(access, now):
    if not access.may[Action.MANAGE_SITTINGS]:
        return None
    sitting = access.jury.sittings.upcoming(now).annotate(items=Count("agenda_items")).first()
    if sitting is None or sitting.items:
        return None
    return Item(
        key="agenda",
        count=1,
        text=_("The next sitting, “%(title)s”, has no agenda yet.") % {"title": sitting.title},
        url=reverse("juries:sitting-edit", args=[access.jury.slug, sitting.pk]),
        link_label=_("Add its agenda"),
    )


register(40, _unanswered_invitations)
register(50, _sitting_without_agenda)
