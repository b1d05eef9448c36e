"""Scheduling, moving and cancelling a sitting emails every reachable member once, with a
calendar file their calendar app can add, update or remove."""

import re

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from juries import sittings as sitting_service
from juries.models import Membership, Role, Sitting
from tests.conftest import make_user

AGENDA_NONE = {
    "agenda-TOTAL_FORMS": "0",
    "agenda-INITIAL_FORMS": "0",
    "agenda-MIN_NUM_FORMS": "0",
    "agenda-MAX_NUM_FORMS": "1000",
}


def sitting_data(**changes):
    return {
        "title": "Meeting the witnesses",
        "description": "Bring your questions; all of them, please.",
        "starts_at": "2030-06-03T18:30",
        "ends_at": "2030-06-03T20:00",
        "video_url": "",
        **AGENDA_NONE,
        **changes,
    }


def read_ics(content):
    """A small check of what every calendar app needs, independent of the library that wrote it."""
    if isinstance(content, bytes):
        content = content.decode()
    assert content.endswith("\r\n")
    lines = content.split("\r\n")[:-1]
    assert all("\n" not in line and "\r" not in line for line in lines)
    assert all(len(line.encode()) <= 75 for line in lines)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "BEGIN:VEVENT" in lines and "END:VEVENT" in lines
    unfolded = content.replace("\r\n ", "").split("\r\n")
    fields = {}
    for line in unfolded:
        name, _sep, value = line.partition(":")
        fields.setdefault(name.split(";")[0], value)
    assert re.fullmatch(r"\d{8}T\d{6}Z", fields["DTSTART"])
    assert re.fullmatch(r"\d{8}T\d{6}Z", fields["DTEND"])
    return fields


def calendar_of(message):
    (attachment,) = message.attachments
    _filename, content, mimetype = attachment
    assert mimetype == "text/calendar"
    return read_ics(content)


@pytest.fixture
def gone_member(jury):
    """A member whose account is deleted: not written to."""
    gone = make_user("gone@example.org", "Gone")
    Membership.objects.create(jury=jury, user=gone, role=Role.JUROR)
    gone.is_active = False
    gone.save()
    return gone


@pytest.fixture
def members(facilitator, juror, other_juror, gone_member):
    return {facilitator.email, juror.email, other_juror.email}


def schedule(client, jury, capture, **changes):
    with capture(execute=True):
        client.post(reverse("juries:sitting-create", args=[jury.slug]), sitting_data(**changes))
    return Sitting.objects.get()


def test_scheduling_emails_every_reachable_member_once_with_a_calendar_request(
    client, jury, facilitator, members, mailoutbox, django_capture_on_commit_callbacks
):
    facilitator.timezone = "Europe/London"
    facilitator.save()
    client.force_login(facilitator)

    sitting = schedule(client, jury, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mailoutbox) == sorted(members)
    mine = next(m for m in mailoutbox if m.to == [facilitator.email])
    assert "Meeting the witnesses" in mine.subject
    # In the person's own time zone: 18:30 in London in June.
    assert "18:30 to 20:00 (Europe/London)" in mine.body
    assert sitting.get_absolute_url() in mine.body
    fields = calendar_of(mine)
    assert fields["METHOD"] == "REQUEST"
    assert fields["UID"] == f"sitting-{sitting.pk}@deliberate"
    assert fields["SEQUENCE"] == "0"
    assert fields["ORGANIZER"].startswith("mailto:")
    assert fields["DTSTART"] == "20300603T173000Z"
    assert fields["URL"].endswith(sitting.get_absolute_url())
    # Commas and semicolons in text are escaped.
    assert "Bring your questions\\; all of them\\, please." in fields["DESCRIPTION"]


def test_moving_emails_again_with_the_same_uid_and_a_higher_sequence_but_rewording_does_not(
    client, jury, facilitator, members, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(facilitator)
    sitting = schedule(client, jury, django_capture_on_commit_callbacks)
    first = calendar_of(mailoutbox[0])
    edit = reverse("juries:sitting-edit", args=[jury.slug, sitting.pk])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, sitting_data(description="New words only."))
    assert len(mailoutbox) == len(members)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, sitting_data(starts_at="2030-06-04T18:30", ends_at="2030-06-04T20:00"))

    moved = mailoutbox[len(members) :]
    assert sorted(m.to[0] for m in moved) == sorted(members)
    assert "moved" in moved[0].subject
    fields = calendar_of(moved[0])
    assert fields["METHOD"] == "REQUEST"
    assert fields["UID"] == first["UID"]
    assert int(fields["SEQUENCE"]) > int(first["SEQUENCE"])
    assert fields["DTSTART"] == "20300604T173000Z"


def test_cancelling_emails_every_member_a_calendar_cancel_for_the_same_event(
    client, jury, facilitator, members, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(facilitator)
    sitting = schedule(client, jury, django_capture_on_commit_callbacks)
    scheduled = calendar_of(mailoutbox[0])

    with django_capture_on_commit_callbacks(execute=True):
        sitting_service.cancel_sitting(sitting=sitting, by=facilitator)

    cancelled = mailoutbox[len(members) :]
    assert sorted(m.to[0] for m in cancelled) == sorted(members)
    assert "cancelled" in cancelled[0].subject
    assert "“Meeting the witnesses”" in cancelled[0].body
    assert "has been cancelled" in cancelled[0].body
    fields = calendar_of(cancelled[0])
    assert fields["METHOD"] == "CANCEL"
    assert fields["STATUS"] == "CANCELLED"
    assert fields["UID"] == scheduled["UID"]
    assert int(fields["SEQUENCE"]) > int(scheduled["SEQUENCE"])


def test_the_queued_emails_hold_ids_only(
    client, jury, facilitator, members, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(facilitator)
    sitting = schedule(client, jury, django_capture_on_commit_callbacks)

    rows = list(DBTaskResult.objects.all())
    assert len(rows) == len(members)
    for row in rows:
        kwargs = row.args_kwargs["kwargs"]
        assert kwargs["to"][0] == "juries.membership"
        assert kwargs["context"]["sitting"] == {"model": "juries.sitting", "pk": sitting.pk}
        text = str(row.args_kwargs)
        assert "Bring your questions" not in text
        assert "@example" not in text
