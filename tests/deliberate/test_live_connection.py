"""The jury page's WebSocket: who may connect, what they receive, and resuming after a break.

These go through the real ASGI application (origin check, session cookie, routing) with the real
database and channel layer (in memory by default; Redis when REDIS_URL is set)."""

import json

import pytest
from channels.db import database_sync_to_async

from deliberate import consumers, live
from deliberate import room as room_service
from deliberate import threads as thread_service
from juries import members, stages
from juries.models import AgendaItem, Membership, Sitting, Stage

from .conftest import connect, seq_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@database_sync_to_async
def post(thread, by, body):
    return thread_service.add_post(thread=thread, body=body, by=by)


@database_sync_to_async
def last_seq(jury):
    jury.refresh_from_db()
    return jury.last_event_seq


async def test_a_juror_receives_a_post_made_by_another_member(thread, juror, other_juror):
    communicator, accepted, _ = await connect(juror, thread.jury.slug)
    assert accepted
    await post(thread, other_juror, "I worry about false positives.")
    frame = await communicator.receive_from(timeout=5)
    assert "I worry about false positives." in frame
    assert 'hx-swap-oob="beforeend:#posts-' in frame
    assert "Kim" in frame
    await communicator.disconnect()


async def test_a_client_that_reconnects_receives_exactly_what_it_missed_in_order_once(
    thread, juror, other_juror
):
    communicator, accepted, _ = await connect(juror, thread.jury.slug)
    assert accepted
    await post(thread, other_juror, "Before the break.")
    seen = seq_of(await communicator.receive_from(timeout=5))
    await communicator.disconnect()

    for number in range(1, 6):
        await post(thread, other_juror, f"Missed message {number}.")

    communicator, accepted, _ = await connect(juror, thread.jury.slug, after=seen)
    assert accepted
    frames = [await communicator.receive_from(timeout=5) for _ in range(5)]
    assert [seq_of(frame) for frame in frames] == list(range(seen + 1, seen + 6))
    for number, frame in enumerate(frames, start=1):
        assert f"Missed message {number}." in frame
    assert await communicator.receive_nothing(timeout=0.5)

    # Live events carry on from there, not repeated.
    await post(thread, other_juror, "Back live.")
    frame = await communicator.receive_from(timeout=5)
    assert seq_of(frame) == seen + 6
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_a_client_already_up_to_date_receives_nothing_on_reconnect(thread, juror):
    communicator, accepted, _ = await connect(
        juror, thread.jury.slug, after=await last_seq(thread.jury)
    )
    assert accepted
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


@pytest.mark.parametrize("who", ["anonymous", "outsider", "juror_of_another_jury"])
async def test_people_outside_the_jury_are_refused(who, thread, outsider, make_jury, make_person):
    user = {"anonymous": None, "outsider": outsider}.get(who)
    if who == "juror_of_another_jury":

        @database_sync_to_async
        def other_member():
            other = make_jury(slug="other-jury")
            person = make_person("zed@example.org", "Zed")
            Membership.objects.create(jury=other, user=person, role="juror")
            return person

        user = await other_member()
    communicator, accepted, _ = await connect(user, thread.jury.slug)
    assert not accepted


async def test_a_connection_from_a_foreign_origin_is_refused(thread, juror):
    communicator, accepted, _ = await connect(
        juror, thread.jury.slug, origin="https://evil.example.com"
    )
    assert not accepted


async def test_a_removed_member_stops_receiving_at_once(thread, juror, other_juror, facilitator):
    communicator, accepted, _ = await connect(juror, thread.jury.slug)
    assert accepted

    @database_sync_to_async
    def remove():
        membership = Membership.objects.get(jury=thread.jury, user=juror)
        members.remove_member(membership=membership, by=facilitator)

    await remove()
    output = await communicator.receive_output(timeout=5)
    assert output["type"] == "websocket.close"
    assert output["code"] == 4403

    # And a new connection is refused.
    again, accepted, _ = await connect(juror, thread.jury.slug)
    assert not accepted


async def test_a_removed_member_is_refused_even_when_reconnecting_with_an_old_number(
    thread, juror, facilitator
):
    @database_sync_to_async
    def remove():
        members.remove_member(
            membership=Membership.objects.get(jury=thread.jury, user=juror), by=facilitator
        )

    await remove()
    communicator, accepted, _ = await connect(juror, thread.jury.slug, after=0)
    assert not accepted


async def test_witnesses_and_oversight_members_do_not_receive_the_jurors_discussion(
    thread, witness, oversight, other_juror
):
    watching = []
    for person in (witness, oversight):
        communicator, accepted, _ = await connect(person, thread.jury.slug)
        assert accepted  # they may open the jury's pages, but not its discussions
        watching.append(communicator)
    await post(thread, other_juror, "Only for the jury.")
    for communicator in watching:
        assert await communicator.receive_nothing(timeout=0.5)
        await communicator.disconnect()


async def test_a_stage_change_changes_what_an_open_connection_may_receive(
    thread, juror, other_juror, facilitator
):
    """Observers see hidden posts' words; jurors get the placeholder. Moving the jury's stage
    back to selection (when jurors may not post) still delivers posts to readers."""
    communicator, accepted, _ = await connect(juror, thread.jury.slug)
    assert accepted
    mine = await post(thread, other_juror, "A remark that will be hidden.")
    await communicator.receive_from(timeout=5)

    @database_sync_to_async
    def hide():
        thread_service.hide_post(post=mine, by=facilitator, reason="Personal details")

    await hide()
    frame = await communicator.receive_from(timeout=5)
    assert "Personal details" in frame
    assert "A remark that will be hidden." not in frame

    @database_sync_to_async
    def back_to_learning():
        stages.change_stage(jury=thread.jury, to_stage=Stage.LEARNING, by=facilitator)

    await back_to_learning()
    assert await communicator.receive_nothing(timeout=0.3)  # the stage event carries no HTML
    await communicator.disconnect()


async def test_observers_see_the_words_of_a_hidden_post_with_the_reason(
    thread, observer, other_juror, facilitator
):
    communicator, accepted, _ = await connect(observer, thread.jury.slug)
    assert accepted
    mine = await post(thread, other_juror, "Words observers still read.")
    await communicator.receive_from(timeout=5)
    await database_sync_to_async(thread_service.hide_post)(
        post=mine, by=facilitator, reason="Off topic"
    )
    frame = await communicator.receive_from(timeout=5)
    assert "Off topic" in frame and "Words observers still read." in frame
    await communicator.disconnect()


@database_sync_to_async
def open_room(jury):
    from datetime import timedelta

    from django.utils import timezone

    sitting = Sitting.objects.create(
        jury=jury,
        title="Second sitting",
        starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(hours=2),
    )
    AgendaItem.objects.create(sitting=sitting, title="Welcome", planned_minutes=10)
    return room_service.room_for(sitting)


async def test_an_observer_cannot_raise_a_hand_or_answer_a_poll_over_the_socket(
    thread, observer, juror, monkeypatch
):
    monkeypatch.setattr(consumers, "GESTURE_INTERVAL", 0)
    room = await open_room(thread.jury)
    communicator, accepted, _ = await connect(observer, thread.jury.slug, sitting=room.sitting_id)
    assert accepted
    await communicator.receive_from(timeout=5)  # who is in the room
    for gesture in (
        {"action": "raise_hand"},
        {"action": "answer_poll", "poll": 1, "option": 0},
        {"action": "post", "body": "Let me in"},
    ):
        await communicator.send_to(text_data=json.dumps(gesture))
        reply = await communicator.receive_from(timeout=5)
        assert "live-announce" in reply
        assert "You are here to watch" in reply or "posted with the form" in reply
    assert not await database_sync_to_async(room.hands.exists)()
    await communicator.disconnect()


async def test_a_juror_raises_a_hand_over_the_socket_and_everyone_in_the_room_sees_it(
    thread, juror, facilitator
):
    room = await open_room(thread.jury)
    watcher, accepted, _ = await connect(facilitator, thread.jury.slug, sitting=room.sitting_id)
    assert accepted
    hand, accepted, _ = await connect(juror, thread.jury.slug, sitting=room.sitting_id)
    assert accepted
    await hand.send_to(text_data=json.dumps({"action": "raise_hand"}))
    frames = [await watcher.receive_from(timeout=5) for _ in range(3)]
    queue = [f for f in frames if "room-panel" in f]
    assert queue and "Give the floor to Jo" in queue[-1]
    assert await database_sync_to_async(room.hands.filter(user=juror).count)() == 1
    await hand.disconnect()
    await watcher.disconnect()


async def test_a_page_opened_counts_as_present_until_its_live_connection_takes_over(
    thread, juror, facilitator
):
    room = await open_room(thread.jury)
    names = database_sync_to_async(lambda: [m.user.public_name for m in live.present_people(room)])
    await database_sync_to_async(live.opened_page)(room, juror.pk)  # the page is loaded
    assert await names() == ["Jo"]
    page, accepted, _ = await connect(juror, thread.jury.slug, sitting=room.sitting_id)
    assert accepted
    assert "Jo" in await page.receive_from(timeout=5)  # who is in the room, pushed
    assert await names() == ["Jo"]  # once, not twice
    await page.disconnect()  # waits for the consumer to finish, leaving recorded
    assert await names() == []  # the page closed: they have left


async def test_the_page_sees_the_room_only_with_a_sitting_of_its_own_jury(thread, juror, make_jury):
    other = await database_sync_to_async(make_jury)(slug="elsewhere")
    room = await open_room(other)
    communicator, accepted, _ = await connect(juror, thread.jury.slug, sitting=room.sitting_id)
    assert not accepted


async def test_gestures_faster_than_once_a_second_are_refused_politely(thread, juror):
    room = await open_room(thread.jury)
    communicator, accepted, _ = await connect(juror, thread.jury.slug, sitting=room.sitting_id)
    assert accepted
    await communicator.receive_from(timeout=5)  # who is in the room
    await communicator.send_to(text_data=json.dumps({"action": "raise_hand"}))
    await communicator.send_to(text_data=json.dumps({"action": "lower_hand"}))
    frames = [await communicator.receive_from(timeout=5) for _ in range(3)]
    assert any("Please wait a moment" in frame for frame in frames)
    assert await database_sync_to_async(room.hands.filter(lowered_at__isnull=True).count)() == 1
    await communicator.disconnect()


async def test_a_hidden_post_is_not_shown_again_by_replaying_the_stream_from_the_start(
    thread, juror, other_juror, facilitator
):
    mine = await post(thread, other_juror, "Words that will be hidden.")
    await database_sync_to_async(thread_service.hide_post)(
        post=mine, by=facilitator, reason="Private details"
    )
    communicator, accepted, _ = await connect(juror, thread.jury.slug, after=0)
    assert accepted
    frames = []
    while not await communicator.receive_nothing(timeout=0.5):
        frames.append(await communicator.receive_from())
    assert frames, "the replay sends the events"
    assert not any("Words that will be hidden." in frame for frame in frames)
    assert any("Private details" in frame for frame in frames)
    await communicator.disconnect()


async def test_no_secret_travels_in_pushed_forms(thread, juror, facilitator):
    room = await open_room(thread.jury)
    watcher, accepted, _ = await connect(facilitator, thread.jury.slug, sitting=room.sitting_id)
    assert accepted
    await watcher.receive_from(timeout=5)  # who is in the room
    await database_sync_to_async(room_service.raise_hand)(room=room, user=juror)
    frame = await watcher.receive_from(timeout=5)
    assert "Give the floor to Jo" in frame
    assert "csrfmiddlewaretoken" not in frame
    await watcher.disconnect()


async def test_events_arriving_while_a_page_catches_up_follow_in_order_once(
    thread, juror, other_juror
):
    start = await last_seq(thread.jury)
    for number in range(5):
        await post(thread, other_juror, f"Earlier {number}.")
    communicator, accepted, _ = await connect(juror, thread.jury.slug, after=start)
    assert accepted
    for number in range(3):  # while the replay may still be running
        await post(thread, other_juror, f"Meanwhile {number}.")
    frames = [await communicator.receive_from(timeout=5) for _ in range(8)]
    assert [seq_of(frame) for frame in frames] == list(range(start + 1, start + 9))
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


async def test_many_pages_of_one_jury_each_receive_every_event_once(thread, juror, other_juror):
    pages = []
    for _ in range(5):
        communicator, accepted, _ = await connect(juror, thread.jury.slug)
        assert accepted
        pages.append(communicator)
    for number in range(3):
        await post(thread, other_juror, f"To everyone {number}.")
    for communicator in pages:
        frames = [await communicator.receive_from(timeout=5) for _ in range(3)]
        assert [f"To everyone {n}." in frame for n, frame in enumerate(frames)] == [True] * 3
        assert await communicator.receive_nothing(timeout=0.2)
        await communicator.disconnect()
