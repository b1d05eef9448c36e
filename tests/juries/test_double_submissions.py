"""A double-click or a retried request does a thing once (DESIGN.md: writes are idempotent)."""

import re

from django.urls import reverse

from juries.models import Invitation, Sitting, StageChange

KEY = re.compile(r'name="submission_key" value="([^"]+)"')


def key_from(client, url):
    return KEY.search(client.get(url).content.decode()).group(1)


def test_sending_the_same_invitation_form_twice_invites_once(client, jury, facilitator, mailoutbox):
    client.force_login(facilitator)
    url = reverse("juries:invite", args=[jury.slug])
    data = {
        "kind": "single",
        "email": "sam@example.org",
        "role": "juror",
        "submission_key": key_from(client, url),
    }

    first = client.post(url, data)
    second = client.post(url, data, follow=True)

    assert first.status_code == 302
    assert Invitation.objects.count() == 1
    assert len(mailoutbox) == 1
    assert "you sent the same form twice" in second.content.decode()
    assert second.redirect_chain[-1][0] == reverse("juries:dashboard", args=[jury.slug])


def test_sending_the_same_new_sitting_twice_schedules_one(client, jury, facilitator):
    client.force_login(facilitator)
    url = reverse("juries:sitting-create", args=[jury.slug])
    data = {
        "title": "Evening sitting",
        "starts_at": "2030-03-05T18:30",
        "ends_at": "2030-03-05T20:30",
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
        "agenda-MIN_NUM_FORMS": "0",
        "agenda-MAX_NUM_FORMS": "1000",
        "submission_key": key_from(client, url),
    }
    client.post(url, data)
    second = client.post(url, data)

    sitting = Sitting.objects.get()
    assert second.url == sitting.get_absolute_url()


def test_a_form_shown_again_with_errors_can_be_corrected_and_sent(client, jury, facilitator):
    client.force_login(facilitator)
    url = reverse("juries:invite", args=[jury.slug])
    key = key_from(client, url)
    client.post(
        url, {"kind": "single", "email": "not-an-address", "role": "juror", "submission_key": key}
    )
    client.post(
        url, {"kind": "single", "email": "sam@example.org", "role": "juror", "submission_key": key}
    )
    assert Invitation.objects.filter(email="sam@example.org").exists()


def test_pressing_move_on_twice_moves_the_jury_one_stage(client, jury, facilitator):
    client.force_login(facilitator)
    dashboard = reverse("juries:dashboard", args=[jury.slug])
    key = KEY.search(client.get(dashboard).content.decode()).group(1)
    url = reverse("juries:change-stage", args=[jury.slug])
    for _ in range(2):
        client.post(url, {"to_stage": "selection", "submission_key": key})
    jury.refresh_from_db()
    assert jury.stage == "selection"
    assert StageChange.objects.count() == 1


def test_form_keys_older_than_a_week_are_forgotten(client, jury, facilitator):
    from django.utils import timezone

    from juries.models import FormSubmission

    old = FormSubmission.objects.create(user=facilitator, key="old-key")
    FormSubmission.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=8)
    )
    client.force_login(facilitator)
    url = reverse("juries:change-stage", args=[jury.slug])
    client.post(url, {"to_stage": "selection", "submission_key": "new-key"})
    assert list(FormSubmission.objects.values_list("key", flat=True)) == ["new-key"]
