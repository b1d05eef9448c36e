"""Notifications that follow the jury's journey, and the reminders before what is due.

**One path.** Every piece of news (a question put to a witness, a pack published, the jury moving
on, the vote opening, the sign-off request) goes through `notify()`. It writes one
`Notification` row per person, shown on their "What's new" page until they mark it read, so
people who do not read email still see it; and it emails each person as they chose for that
jury (`Membership.emails`):

- *Everything* (the default): an email for each piece of news, queued when the change commits.
  News about a jury comes a few times a week at most and most of it is something to attend or
  to do, so this is the choice that lets nobody miss a sitting or a vote; discussion posts,
  which come many times a day, stay in the daily summary (below).
- *A daily summary*: no email at once; the news waits for `send_digests`, which sends one email
  a day listing the person's unread news since their last summary, beside the new discussion
  posts.
- *Only what needs me*: an email only for what asks something of them (`needs_action`: a
  question put to them, the vote opening, the sign-off request) and no summary at all, not even
  of the discussions.

Sittings scheduled, moved or cancelled are emailed to every member whatever they chose
(`juries/sittings.py`): a calendar file cannot wait for a summary.

The discussion emails keep their own site-wide choice (`deliberate.NotificationChoice`: nothing,
the daily summary of new posts, or an email for every reply): the choice made here decides
whether a jury's posts are in the summary at all ("only what needs me" leaves them out).

**Reminders** (`queue_due_reminders`, run every few minutes by `manage.py send_reminders` or
the `send_reminders` task) are worked out in each person's own time zone: the day before
(from 9 in the morning, their time) and an hour before a sitting; the day before a witness's
answer-by date while the question is open; the day before the vote closes, to jurors who have
not voted. They are emailed whatever the person chose, "daily summary" included: a reminder in
tomorrow's summary would come too late. Each goes exactly once per person and thing: the
`ReminderQueued` row is written in the transaction that queues the email, and its unique
constraint turns a second run (or two at once) into nothing.

Every email is queued by reference (ids), through `juries.emails`. Apps above juries register
their kinds of news with `register_kind` and their reminders with `register_reminders`, in their
AppConfig.ready().

**A fixed number of queries.** "What's new" and the daily summary describe many notifications
at once (`describe_all`): the targets are loaded with one query per kind of object, each with
what its line and link read (`register_targets(queryset)`: usually its jury), so the page
takes the same number of queries with 1 or 100 lines. Only news about juries the person is
still a member of is shown or counted (`_still_member`); removing a member also deletes theirs.
"""

import datetime
import logging
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from . import emails
from .models import EmailChoice, Membership, Notification, ReminderQueued, Sitting, StageChange

logger = logging.getLogger(__name__)

# The hour of the day before, in the person's own time zone, from which a reminder may go.
MORNING = datetime.time(9)


@dataclass(frozen=True)
class Kind:
    """A kind of news: the email sent about it, its line on "What's new" (a lazy string with
    %(title)s, the target's name), and where it links (a callable target -> path)."""

    email: str
    sentence: str
    link: object
    title: object = str


KINDS = {}
REMINDER_SOURCES = []
# Target model -> the queryset its notifications' targets are loaded with (one per model).
TARGETS = {}


def register_kind(name, *, email, sentence, link, title=str):
    KINDS[name] = Kind(email=email, sentence=sentence, link=link, title=title)


def register_targets(queryset):
    """How notifications' targets of `queryset.model` are loaded for "What's new" and the
    summary, with everything their kinds' `link` and `title` read (e.g.
    `Vote.objects.select_related("jury")`), so the lines take no query each. One per model."""
    TARGETS[queryset.model] = queryset


def register_reminders(source):
    """Also ask `source(now)` for reminders due: it returns `Due` items, and may return some
    already queued (they are skipped)."""
    if source not in REMINDER_SOURCES:
        REMINDER_SOURCES.append(source)


# --- news ---------------------------------------------------------------------------------------


def _emails_now(choice, needs_action):
    return choice == EmailChoice.EVERYTHING or (choice == EmailChoice.NEEDED and needs_action)


def notify(*, jury, recipients, kind, target, needs_action, context=None, email=True):
    """Tell `recipients` (Memberships of `jury`) about `target`: a row each on "What's new", and
    an email now or in the daily summary as each of them chose. Call inside the change's
    transaction: the rows and the queued emails are committed with it, or not at all. `context`
    adds model instances and plain values to the email; `email=False` when the caller emails
    about it its own way (the published report). Returns the number of people told."""
    spec = KINDS[kind]
    target_type = ContentType.objects.get_for_model(target)
    members = [
        m
        for m in recipients
        if m.jury_id == jury.pk and m.user.is_active and m.user.deleted_at is None
    ]
    Notification.objects.bulk_create(
        Notification(
            user_id=m.user_id,
            jury=jury,
            kind=kind,
            target_type=target_type,
            target_id=target.pk,
            needs_action=needs_action,
            # What the caller emails its own way is not summarised again.
            for_summary=email and m.emails == EmailChoice.SUMMARY,
        )
        for m in members
    )
    link = settings.SITE_URL + spec.link(target)
    for member in members:
        if email and _emails_now(member.emails, needs_action):
            # Queued in the change's transaction, as `emails.queue` asks: the task row is
            # committed with the change (so the worker sees it once committed) or not at all.
            emails.queue(
                spec.email,
                to=member,
                context={"jury": jury, "target": target, "person": member.user, "link": link}
                | dict(context or {}),
            )
    return len(members)


def describe(notification):
    """The line "What's new" shows, or None when what it was about is gone."""
    spec = KINDS.get(notification.kind)
    target = notification.target
    if spec is None or target is None:
        return None
    return {"text": spec.sentence % {"title": spec.title(target)}, "link": spec.link(target)}


def describe_all(found):
    """`found` (notifications) with their lines, in order, those about something gone left
    out: (notification, line) pairs. The targets are loaded in one query per kind of object,
    with what the registered querysets select, whatever the number of notifications."""
    found = list(found)
    prefetch_related_objects(
        found,
        "jury",
        GenericPrefetch("target", [qs.all() for qs in TARGETS.values()]),
    )
    pairs = []
    for notification in found:
        described = describe(notification)
        if described is not None:
            pairs.append((notification, described))
    return pairs


def _still_member(found):
    """Only news about juries the person is still a member of (removing a member deletes
    theirs too; this is the second guard)."""
    return found.filter(
        Exists(Membership.objects.filter(jury_id=OuterRef("jury_id"), user_id=OuterRef("user_id")))
    )


def for_page(user, limit=100):
    """The person's notifications, newest first, each with its line and link; those about
    something gone since, or a jury they have left, are left out."""
    found = _still_member(Notification.objects.filter(user=user).select_related("jury"))[:limit]
    return [
        {"notification": notification, **described}
        for notification, described in describe_all(found)
    ]


def unread_count(user):
    return _still_member(Notification.objects.filter(user=user).unread()).count()


def mark_all_read(user):
    """Idempotent: what was read earlier keeps its time."""
    return Notification.objects.filter(user=user).unread().update(read_at=timezone.now())


def summary_for(user, since, until):
    """The unread news waiting for `user`'s daily summary, between the two times."""
    found = _still_member(
        Notification.objects.filter(
            user=user, for_summary=True, created_at__gt=since, created_at__lte=until
        )
        .unread()
        .select_related("jury")
        .order_by("jury__title", "created_at")
    )
    return [
        {"jury": notification.jury, **described} for notification, described in describe_all(found)
    ]


def choose_emails(*, membership, choice):
    membership.emails = EmailChoice(choice)
    membership.save(update_fields=["emails"])


# --- the jury moving on ----------------------------------------------------------------------


def tell_stage_changed(change):
    """Tell every member the jury moved on (not asking anything of them). Those already told
    about this move by something more specific (jurors asked to sign off) are left out."""
    told = set(
        Notification.objects.filter(
            target_type=ContentType.objects.get_for_model(StageChange), target_id=change.pk
        ).values_list("user_id", flat=True)
    )
    members = change.jury.memberships.reachable().select_related("user").exclude(user_id__in=told)
    notify(
        jury=change.jury,
        recipients=members,
        kind="stage.changed",
        target=change,
        needs_action=False,
    )


# --- reminders -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A reminder due to `membership` about `target`."""

    membership: Membership
    kind: str
    target: object
    template: str
    context: dict = field(default_factory=dict)


def zone_of(user):
    try:
        return zoneinfo.ZoneInfo(user.timezone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_day(moment, user):
    return moment.astimezone(zone_of(user)).date()


def from_morning_before(day, now, user):
    """True from 9 in the morning (the person's time) of the day before `day`."""
    zone = zone_of(user)
    start = datetime.datetime.combine(day - datetime.timedelta(days=1), MORNING, tzinfo=zone)
    return now >= start


def sitting_reminders(now):
    """The day before a sitting (on that calendar day in the person's zone, from 9 in the
    morning, until an hour before it), and an hour before it, to every reachable member.
    Sitting.objects leaves out cancelled sittings."""
    hour = datetime.timedelta(hours=1)
    soon = Sitting.objects.filter(
        starts_at__gt=now, starts_at__lte=now + datetime.timedelta(days=2)
    )
    for sitting in soon.select_related("jury"):
        members = sitting.jury.memberships.reachable().select_related("user")
        for member in members:
            if sitting.starts_at - hour <= now:
                kind = "sitting.hour_before"
            elif local_day(now, member.user) == local_day(
                sitting.starts_at, member.user
            ) - datetime.timedelta(days=1) and from_morning_before(
                local_day(sitting.starts_at, member.user), now, member.user
            ):
                kind = "sitting.day_before"
            else:
                continue
            yield Due(
                member,
                kind,
                sitting,
                "juries/email/sitting_reminder",
                {"sitting": sitting, "soon": kind == "sitting.hour_before"},
            )


def forget_reminders(target):
    """Let `target`'s reminders go again: call inside the transaction that moves its time (a
    sitting moved, a question given a new answer-by date), so the reminders follow the new time
    instead of counting as already sent for the old one."""
    ReminderQueued.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).delete()


def _already(dues):
    """The (user, kind, type, id) keys among `dues` already queued, in one query."""
    if not dues:
        return set()
    types = {ContentType.objects.get_for_model(d.target).pk for d in dues}
    ids = {d.target.pk for d in dues}
    return set(
        ReminderQueued.objects.filter(target_type_id__in=types, target_id__in=ids).values_list(
            "user_id", "kind", "target_type_id", "target_id"
        )
    )


def _queue_one(due):
    """Record the reminder and queue its email, together or not at all. False when it was
    already queued (by an earlier run, or one at the same moment)."""
    target_type = ContentType.objects.get_for_model(due.target)
    member = due.membership
    spec = KINDS[due.kind]
    try:
        with transaction.atomic():
            ReminderQueued.objects.create(
                user_id=member.user_id,
                kind=due.kind,
                target_type=target_type,
                target_id=due.target.pk,
            )
            Notification.objects.create(
                user_id=member.user_id,
                jury_id=member.jury_id,
                kind=due.kind,
                target_type=target_type,
                target_id=due.target.pk,
                needs_action=True,
            )
            emails.queue(
                due.template,
                to=member,
                context={
                    "jury": member.jury,
                    "person": member.user,
                    "link": settings.SITE_URL + spec.link(due.target),
                    **due.context,
                },
            )
    except IntegrityError:
        return False
    return True


def queue_due_reminders(now=None):
    """Queue every reminder due at `now` (default: the present) not queued before. Safe to run
    every few minutes and twice at once. Returns how many were queued."""
    now = now or timezone.now()
    dues = [due for source in REMINDER_SOURCES for due in source(now)]
    done = _already(dues)
    queued = 0
    for due in dues:
        key = (
            due.membership.user_id,
            due.kind,
            ContentType.objects.get_for_model(due.target).pk,
            due.target.pk,
        )
        if key in done:
            continue
        if _queue_one(due):
            queued += 1
            done.add(key)
    if queued:
        logger.info("Queued %s reminders", queued)
    return queued


@task()
def send_reminders():
    """The worker's way in: the same as `manage.py send_reminders`."""
    return queue_due_reminders()


register_reminders(sitting_reminders)
register_targets(StageChange.objects.select_related("jury"))
# Cancelled sittings too: a cancelled sitting's line is still shown.
register_targets(Sitting.with_cancelled.select_related("jury"))
register_kind(
    "stage.changed",
    email="juries/email/stage_changed",
    sentence=_("The jury has moved to a new stage: %(title)s"),
    link=lambda change: reverse("juries:home", args=[change.jury.slug]),
    title=lambda change: change.get_to_stage_display(),
)
register_kind(
    "sitting.scheduled",
    email="juries/email/sitting",
    sentence=_("A sitting has been scheduled: “%(title)s”"),
    link=lambda sitting: sitting.get_absolute_url(),
)
register_kind(
    "sitting.moved",
    email="juries/email/sitting",
    sentence=_("A sitting has moved to a new time: “%(title)s”"),
    link=lambda sitting: sitting.get_absolute_url(),
)
register_kind(
    "sitting.cancelled",
    email="juries/email/sitting",
    sentence=_("A sitting has been cancelled: “%(title)s”"),
    link=lambda sitting: sitting.get_absolute_url(),
)
register_kind(
    "sitting.day_before",
    email="juries/email/sitting_reminder",
    sentence=_("Reminder: the sitting “%(title)s” is tomorrow"),
    link=lambda sitting: sitting.get_absolute_url(),
)
register_kind(
    "sitting.hour_before",
    email="juries/email/sitting_reminder",
    sentence=_("Reminder: the sitting “%(title)s” starts within the hour"),
    link=lambda sitting: sitting.get_absolute_url(),
)
