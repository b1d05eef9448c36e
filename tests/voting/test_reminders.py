"""Deadline reminders: a week before, the day before, and once overdue; each queued once."""

from datetime import datetime, timedelta
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from juries.models import Membership, Role
from tests.voting.responses_factories import decided_jury, publish
from voting.models import ReminderSent, ResponseStatus
from voting.reminders import queue_due_reminders, send_response_reminders
from voting.responses import record_response

LONDON = ZoneInfo("Europe/London")
PUBLISHED = datetime(2026, 1, 5, 10, tzinfo=LONDON)  # 8 weeks on: deadline Monday 2 March
DEADLINE = datetime(2026, 3, 2, 12, tzinfo=LONDON)


@pytest.fixture
def waiting(jury, make_recommendation, oversight, facilitator, juror, settings):
    """A jury at the response stage with two adopted recommendations, none answered yet."""
    settings.TIME_ZONE = "Europe/London"
    recs = decided_jury(
        jury, make_recommendation, adopted=2, not_adopted=1, published_days_ago=None
    )
    publish(jury, at=PUBLISHED)
    return recs


def kinds():
    return sorted(ReminderSent.objects.values_list("kind", flat=True))


def test_nothing_is_queued_while_the_deadline_is_more_than_a_week_away(waiting):
    assert queue_due_reminders(now=DEADLINE - timedelta(days=8)) == []
    assert mail.outbox == []
    assert kinds() == []


def test_a_week_before_the_deadline_the_oversight_members_are_reminded_once(waiting, oversight):
    now = DEADLINE - timedelta(days=7)
    queued = queue_due_reminders(now=now)
    assert [(item.kind, item.recipients) for item in queued] == [("week_before", 1)]
    assert [message.to for message in mail.outbox] == [[oversight.email]]
    assert mail.outbox[0].subject.startswith("7 days left: answers to")
    assert "must be answered by 2 March 2026: 7 days left." in mail.outbox[0].body
    assert "2 adopted recommendations still have no answer" in mail.outbox[0].body
    assert "/responses/" in mail.outbox[0].body
    assert queue_due_reminders(now=now + timedelta(hours=3)) == []
    assert queue_due_reminders(now=now + timedelta(days=2)) == []
    assert len(mail.outbox) == 1
    assert kinds() == ["week_before"]


def test_the_day_before_the_deadline_a_second_reminder_goes_once(waiting, oversight):
    queue_due_reminders(now=DEADLINE - timedelta(days=7))
    queue_due_reminders(now=DEADLINE - timedelta(days=1))
    queue_due_reminders(now=DEADLINE - timedelta(days=1, hours=-2))
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["7 days left", "Deadline tomorrow"]
    assert "must be answered by tomorrow, 2 March 2026." in mail.outbox[1].body
    assert kinds() == ["day_before", "week_before"]


def test_once_overdue_the_oversight_members_and_facilitators_are_told_exactly_once(
    waiting, oversight, facilitator, juror
):
    after = DEADLINE + timedelta(days=1)
    first = queue_due_reminders(now=after)
    second = queue_due_reminders(now=after + timedelta(days=1))
    assert [item.kind for item in first] == ["overdue"]
    assert second == []
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [oversight.email, facilitator.email]
    )
    assert juror.email not in {message.to[0] for message in mail.outbox}
    assert all(message.subject.startswith("Overdue") for message in mail.outbox)
    # Only the most pressing reminder: a jury first seen after its deadline gets no earlier one.
    assert kinds() == ["overdue"]


def test_no_reminder_when_every_adopted_recommendation_is_answered(waiting, oversight):
    for rec in waiting:
        record_response(rec, oversight, ResponseStatus.ACCEPTED, "Agreed.")
    mail.outbox.clear()
    assert queue_due_reminders(now=DEADLINE + timedelta(days=3)) == []
    assert mail.outbox == []
    assert kinds() == []


def test_no_reminder_before_the_report_is_published(jury, make_recommendation, oversight):
    decided_jury(jury, make_recommendation, adopted=1, published_days_ago=None)
    jury.stage = "response"
    jury.save()
    assert queue_due_reminders() == []
    assert kinds() == []


def test_the_daily_command_queues_what_is_due_and_the_worker_task_then_finds_it_done(
    waiting, oversight, facilitator
):
    out = StringIO()
    with mock.patch("django.utils.timezone.now", return_value=DEADLINE + timedelta(days=1)):
        call_command("send_response_reminders", stdout=out)
        result = send_response_reminders.enqueue()
    assert f"{waiting[0].jury.slug}: overdue reminder queued to 2 people." in out.getvalue()
    assert result.return_value == 0
    assert len(mail.outbox) == 2
    assert kinds() == ["overdue"]


def test_a_first_run_on_the_deadline_day_says_today_not_tomorrow(waiting, oversight):
    # Cron missed the day before: the reminder still goes, worded for the day it is sent.
    queued = queue_due_reminders(now=DEADLINE)
    assert [item.kind for item in queued] == ["day_before"]
    assert [message.to for message in mail.outbox] == [[oversight.email]]
    assert mail.outbox[0].subject.startswith("Deadline today: answers to")
    assert "tomorrow" not in mail.outbox[0].subject + mail.outbox[0].body
    assert "must be answered today, 2 March 2026." in mail.outbox[0].body


def test_a_run_that_first_sees_the_jury_three_days_before_counts_the_days(waiting):
    queue_due_reminders(now=DEADLINE - timedelta(days=3))
    assert mail.outbox[0].subject.startswith("3 days left: answers to")
    assert "must be answered by 2 March 2026: 3 days left." in mail.outbox[0].body


def test_a_reminder_with_nobody_to_send_it_to_is_not_marked_sent_and_goes_later(
    waiting, oversight, make_person
):
    jury = waiting[0].jury
    Membership.objects.filter(jury=jury, role=Role.OVERSIGHT).delete()
    assert queue_due_reminders(now=DEADLINE - timedelta(days=7)) == []
    assert mail.outbox == []
    assert kinds() == []  # not recorded, so the next run tries again
    newcomer = make_person("nia@example.org", "Nia")
    Membership.objects.create(jury=jury, user=newcomer, role=Role.OVERSIGHT)
    queued = queue_due_reminders(now=DEADLINE - timedelta(days=6))
    assert [(item.kind, item.recipients) for item in queued] == [("week_before", 1)]
    assert [message.to for message in mail.outbox] == [[newcomer.email]]
    assert kinds() == ["week_before"]
