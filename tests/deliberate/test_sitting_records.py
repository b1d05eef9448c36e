"""Records that are never lost: a sitting that took place cannot be deleted by any route, and its
turns and poll results stay on its page. A sitting not yet held can still be cancelled."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from deliberate import room as room_service
from deliberate.models import PollAnswer, QuickPoll, SittingRoom, Turn
from juries import sittings as sitting_service
from juries.models import Sitting
from juries.refusals import Refused
from tests.chart_helpers import table_rows
from tests.conftest import make_user

STAYS = "This sitting has taken place, so it stays on record"


@pytest.fixture
def held(sitting, room, facilitator, juror):
    """A sitting that started, with a turn spoken and a closed poll answered."""
    room_service.give_floor(room=room, user_id=juror.pk, by=facilitator)
    room_service.end_turn(room=room, by=facilitator)
    room_service.open_poll(
        room=room, by=facilitator, question="Ready to vote?", options=["Yes", "No"]
    )
    room_service.answer_poll(poll=room.polls.get(), user=juror, option=0)
    room_service.close_poll(room=room, by=facilitator)
    return sitting


def still_on_record(sitting):
    assert Sitting.objects.filter(pk=sitting.pk).exists()
    assert SittingRoom.objects.filter(sitting=sitting).exists()
    assert Turn.objects.filter(room__sitting=sitting).count() == 1
    assert QuickPoll.objects.filter(room__sitting=sitting).count() == 1
    assert PollAnswer.objects.filter(poll__room__sitting=sitting).count() == 1


def test_cancelling_a_held_sitting_is_refused_and_keeps_its_turns_and_polls(
    client, held, facilitator
):
    client.force_login(facilitator)
    url = reverse("juries:sitting-cancel", args=[held.jury.slug, held.pk])
    form = client.get(url).content.decode()
    assert STAYS in form and 'type="submit"' not in form.split("<main", 1)[-1]
    response = client.post(url, {"submission_key": "k"}, follow=True)
    assert STAYS in response.content.decode().replace("&#x27;", "'")
    still_on_record(held)


def test_no_route_deletes_a_held_sitting(held, facilitator):
    with pytest.raises(sitting_service.SittingHeld):
        sitting_service.cancel_sitting(sitting=held, by=facilitator)
    deletions = [held.delete, Sitting.objects.filter(pk=held.pk).delete, held.jury.delete]
    for delete in deletions:  # the last by cascade, from its jury
        with pytest.raises(sitting_service.SittingHeld), transaction.atomic():
            delete()
    still_on_record(held)


def test_the_admin_refuses_to_delete_a_held_sitting(client, held):
    staff = make_user("admin@example.org", "Admin")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    response = client.post(reverse("admin:juries_sitting_delete", args=[held.pk]), {"post": "yes"})
    assert response.status_code == 403
    still_on_record(held)


def test_a_future_sitting_whose_room_was_used_early_counts_as_held(deliberating, facilitator):
    start = timezone.now() + timedelta(days=2)
    sitting = Sitting.objects.create(
        jury=deliberating, title="Later", starts_at=start, ends_at=start + timedelta(hours=1)
    )
    assert not sitting_service.is_held(sitting)
    room = room_service.room_for(sitting)
    room_service.open_poll(room=room, by=facilitator, question="Test?", options=["Yes", "No"])
    assert sitting_service.is_held(sitting)


def test_a_sitting_not_yet_held_is_marked_cancelled_and_kept_on_record(
    client, deliberating, facilitator, juror
):
    start = timezone.now() + timedelta(days=2)
    sitting = Sitting.objects.create(
        jury=deliberating, title="Later", starts_at=start, ends_at=start + timedelta(hours=1)
    )
    client.force_login(facilitator)
    url = reverse("juries:sitting-cancel", args=[deliberating.slug, sitting.pk])
    assert "Cancel the sitting" in client.get(url).content.decode()
    client.post(url, {"submission_key": "k"})
    # Kept in the database, marked with when and by whom; gone from the calendar everywhere.
    kept = Sitting.with_cancelled.get(pk=sitting.pk)
    assert kept.cancelled_at is not None and kept.cancelled_by == facilitator
    assert not Sitting.objects.filter(pk=sitting.pk).exists()
    assert not deliberating.sittings.filter(pk=sitting.pk).exists()
    # Members see it under "Cancelled sittings", and its page says so without a way to join.
    client.force_login(juror)
    listing = client.get(reverse("juries:sitting-list", args=[deliberating.slug]))
    text = listing.content.decode()
    assert "Cancelled sittings" in text and "Later" in text.split("Cancelled sittings")[1]
    page = client.get(kept.get_absolute_url()).content.decode()
    assert "This sitting was cancelled on" in page
    news = client.get(reverse("juries:whats-new")).content.decode()
    assert "A sitting has been cancelled: “Later”" in news
    assert "Add to my calendar" not in page
    # Its calendar file, its edit page and its cancel page are gone with it.
    ics = reverse("juries:sitting-ics", args=[deliberating.slug, sitting.pk])
    assert client.get(ics).status_code == 404
    client.force_login(facilitator)
    assert (
        client.get(reverse("juries:sitting-edit", args=[deliberating.slug, sitting.pk])).status_code
        == 404
    )
    assert client.post(url, {"submission_key": "k2"}).status_code == 404


def test_cancelling_twice_sends_one_cancellation(
    deliberating, facilitator, juror, mailoutbox, django_capture_on_commit_callbacks
):
    start = timezone.now() + timedelta(days=2)
    sitting = Sitting.objects.create(
        jury=deliberating, title="Later", starts_at=start, ends_at=start + timedelta(hours=1)
    )
    stale = Sitting.objects.get(pk=sitting.pk)
    with django_capture_on_commit_callbacks(execute=True):
        sitting_service.cancel_sitting(sitting=sitting, by=facilitator)
    sent = len(mailoutbox)
    assert sent >= 1
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Refused, match="already"):
        sitting_service.cancel_sitting(sitting=stale, by=facilitator)
    assert len(mailoutbox) == sent


def test_the_sitting_page_lists_every_closed_poll_with_its_results(
    client, held, room, facilitator, juror, oversight
):
    room_service.open_poll(room=room, by=facilitator, question="Lunch now?", options=["Yes", "No"])
    room_service.answer_poll(poll=room.polls.get(question="Lunch now?"), user=juror, option=1)
    room_service.close_poll(room=room, by=facilitator)
    room_service.open_poll(room=room, by=facilitator, question="Still open?", options=["A", "B"])
    client.force_login(juror)
    url = reverse("juries:sitting-detail", args=[held.jury.slug, held.pk])
    text = client.get(url).content.decode()
    first, second = QuickPoll.objects.filter(question__in=["Ready to vote?", "Lunch now?"])
    for poll in (first, second):
        assert poll.question in text
        assert text.count(f'id="poll-{poll.pk}-results"') == 1  # one chart each, ids unique
    rows = table_rows(text)
    assert ["Yes", "1"] in rows and ["No", "1"] in rows  # one answer to each poll
    assert "Still open?" not in text  # results only once a poll is closed
    assert "1 turn was spoken" in text
    # The oversight body sees the sitting, not what was said in its room.
    client.force_login(oversight)
    assert "Ready to vote?" not in client.get(url).content.decode()
