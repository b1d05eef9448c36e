"""Reminders of the oversight body's response deadline: a week before, the day before, and once
it has passed.

`manage.py send_response_reminders` (run daily by cron or a scheduler, like `send_digests`) calls
`queue_due_reminders()`; the worker can run the same through the `send_response_reminders` task.
The emails themselves are queued for the worker. Each kind of reminder is queued at most once
per jury: the ReminderSent row is written in the same transaction that queues the emails, and its
unique constraint turns a second attempt (the next day's run, or two runs at once) into nothing.
A reminder with nobody to send it to is not recorded, so a later run sends it once someone can
receive it. The emails word the time left from the day they are queued (a run that missed a day
says "today", not "tomorrow").
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django_tasks import task

from juries import emails
from juries.models import Jury, Role, Stage

from .deadlines import deadline_for, first_published_subquery
from .models import ReminderSent
from .models.drafting import adopted_q

logger = logging.getLogger(__name__)

Kind = ReminderSent.Kind
WEEK = 7


@dataclass(frozen=True)
class Queued:
    jury: Jury
    kind: str
    recipients: int


def kind_due(deadline):
    """Which reminder `deadline` (a deadlines.Deadline) calls for today, or None.

    Only the most pressing one: a jury first seen two days before its deadline gets no "week
    before" reminder afterwards, and an overdue jury gets no "day before".
    """
    if not deadline.published:
        return None
    if deadline.passed:
        return Kind.OVERDUE
    if deadline.days_left <= 1:
        return Kind.DAY_BEFORE
    if deadline.days_left <= WEEK:
        return Kind.WEEK_BEFORE
    return None


def _juries_waiting():
    """Juries at the response stage with a published report and an adopted recommendation
    still without an answer, in one query."""
    unanswered = adopted_q("recommendations__") & Q(recommendations__response__isnull=True)
    return (
        Jury.objects.filter(stage=Stage.RESPONSE)
        .annotate(
            first_published_at=first_published_subquery(),
            unanswered=Count("recommendations", filter=unanswered),
        )
        .filter(first_published_at__isnull=False, unanswered__gt=0)
        .select_related("oversight_body")
        .order_by("pk")
    )


def _recipients(jury, kind):
    roles = [Role.OVERSIGHT]
    if kind == Kind.OVERDUE:
        roles.append(Role.FACILITATOR)  # so they can chase the oversight body
    return list(jury.memberships.filter(role__in=roles).reachable().select_related("user"))


def _queue(jury, kind, deadline):
    """Record the reminder and queue its emails, together or not at all. Returns the number of
    emails queued, or None when this reminder was already queued or there is nobody to send it
    to (then it is not recorded, and the next run tries again)."""
    recipients = _recipients(jury, kind)
    if not recipients:
        logger.warning("No one to send the %s reminder of jury %s to", kind, jury.pk)
        return None
    context = {
        "jury": jury,
        "kind": kind,
        "deadline": deadline.date,
        "days_left": deadline.days_left,
        "days_overdue": deadline.days_overdue,
        "unanswered": jury.unanswered,
        "site_url": settings.SITE_URL,
    }
    answer_url = settings.SITE_URL + reverse("voting:responses", args=[jury.slug])
    public_url = settings.SITE_URL + reverse("voting:accountability", args=[jury.slug])
    try:
        with transaction.atomic():
            ReminderSent.objects.create(jury=jury, kind=kind)
            for membership in recipients:
                is_oversight = membership.role == Role.OVERSIGHT
                emails.queue(
                    "voting/email/reminder",
                    to=membership,
                    context={
                        **context,
                        "is_oversight": is_oversight,
                        "url": answer_url if is_oversight else public_url,
                    },
                )
    except IntegrityError:
        return None  # already queued, by an earlier run or a run at the same moment
    return len(recipients)


def queue_due_reminders(now=None):
    """Queue the reminders due at `now` (default: the present), each at most once per jury.

    For juries at the response stage whose deadline is within a week, within a day, or past,
    and which still have an adopted recommendation without an answer. Emails go to the oversight
    members; the overdue reminder also goes to the facilitators. Returns what was queued.
    """
    queued = []
    for jury in _juries_waiting():
        deadline = deadline_for(jury, now)
        kind = kind_due(deadline)
        if kind is None:
            continue
        count = _queue(jury, kind, deadline)
        if count is not None:
            logger.info("Queued the %s reminder for jury %s (%s emails)", kind, jury.pk, count)
            queued.append(Queued(jury, kind, count))
    return queued


@task()
def send_response_reminders():
    """The worker's way in: the same as `manage.py send_response_reminders`."""
    return len(queue_due_reminders())
