"""Announcements: written by a facilitator, shown on the jury home until read, emailed by
reference through the worker, kept in a list and recorded in the audit log."""

import json

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from juries.models import Announcement, AnnouncementRead, AuditEntry


def post(client, jury, **fields):
    data = {"title": "Bring your notes", "text": "Sitting two starts at ten.", "audience": "jurors"}
    return client.post(reverse("juries:announcement-create", args=[jury.slug]), data | fields)


def test_an_announcement_to_jurors_reaches_each_juror_once_by_page_and_email(
    client, jury, facilitator, juror, other_juror, witness, mailoutbox
):
    client.force_login(facilitator)
    assert post(client, jury).status_code == 302

    listing = reverse("juries:announcement-list", args=[jury.slug])
    assert "Sitting two starts at ten." in client.get(listing).text
    announcement = Announcement.objects.get(jury=jury)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([juror.email, other_juror.email])
    assert "Sitting two starts at ten." in mailoutbox[0].body
    entry = AuditEntry.objects.get(action="announcement.post")
    assert (entry.target_id, entry.data) == (str(announcement.pk), {"recipients": 2})

    client.force_login(witness)
    assert "Bring your notes" not in client.get(reverse("juries:home", args=[jury.slug])).text
    client.force_login(juror)
    home = reverse("juries:home", args=[jury.slug])
    assert "Bring your notes" in client.get(home).text

    read = reverse("juries:announcement-read", args=[jury.slug, announcement.pk])
    assert client.post(read).status_code == 302
    assert client.post(read).status_code == 302  # marking it read again changes nothing
    assert "Bring your notes" not in client.get(home).text
    assert AnnouncementRead.objects.filter(announcement=announcement, user=juror).count() == 1
    page = client.get(listing).text
    assert "Bring your notes" in page and "Mark as read" not in page


def test_a_juror_cannot_post_an_announcement(client, jury, juror, other_juror, mailoutbox):
    client.force_login(juror)

    assert post(client, jury).status_code == 403
    assert not Announcement.objects.exists()
    assert mailoutbox == []


def test_the_form_keeps_what_was_typed_when_the_title_is_missing(client, jury, facilitator):
    client.force_login(facilitator)

    response = post(client, jury, title="")

    assert response.status_code == 200
    assert "Sitting two starts at ten." in response.text
    assert not Announcement.objects.exists()


def test_the_queued_email_holds_ids_and_never_the_text(
    client, settings, jury, facilitator, juror, mailoutbox
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(facilitator)
    post(client, jury, text="A private word about the hearing.")

    announcement = Announcement.objects.get()
    row = DBTaskResult.objects.get()
    stored = json.dumps(row.args_kwargs)
    assert "private word" not in stored and juror.email not in stored
    context = row.args_kwargs["kwargs"]["context"]
    assert context["announcement"] == {"model": "juries.announcement", "pk": announcement.pk}
    assert mailoutbox == []


@pytest.mark.parametrize("role", ["witness", "observer"])
def test_an_announcement_to_jurors_only_cannot_be_marked_read_by_others(
    client, jury, personas, role
):
    announcement = Announcement.objects.create(jury=jury, title="T", text="x", audience="jurors")
    client.force_login(personas[role])

    url = reverse("juries:announcement-read", args=[jury.slug, announcement.pk])
    assert client.post(url).status_code == 404
    assert not AnnouncementRead.objects.exists()
