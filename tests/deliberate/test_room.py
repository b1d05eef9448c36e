"""A sitting's live room over plain HTTP: the clock, the speaking queue, small groups, quick polls
and participation. The same controls reach open pages live (tested in test_live_connection.py)."""

import html
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from deliberate import room as room_service
from deliberate.models import RoomState, SmallGroup, Turn
from juries.charts import WIDTH
from juries.models import Membership, Role
from tests.chart_helpers import svg_of, table_rows, widths
from tests.conftest import make_user


def control(client, sitting, do, key, **data):
    return client.post(
        reverse("deliberate:room-control", args=[sitting.jury.slug, sitting.pk]),
        {"do": do, "submission_key": key, **data},
    )


def page(client, sitting):
    return client.get(
        reverse("deliberate:room", args=[sitting.jury.slug, sitting.pk])
    ).content.decode()


def test_the_facilitator_starts_pauses_extends_and_moves_the_agenda(
    client, sitting, room, facilitator
):
    client.force_login(facilitator)
    control(client, sitting, "start", "1")
    room.refresh_from_db()
    assert room.state == RoomState.RUNNING and room.current_item.title == "Welcome"
    ends = room.item_ends_at
    control(client, sitting, "extend", "2", minutes="5")
    room.refresh_from_db()
    assert room.item_ends_at - ends == timedelta(minutes=5)
    control(client, sitting, "pause", "3")
    room.refresh_from_db()
    assert room.state == RoomState.PAUSED and 14 * 60 <= room.seconds_left <= 15 * 60
    control(client, sitting, "next", "4")
    room.refresh_from_db()
    assert room.current_item.title == "Error rates" and room.seconds_left == 20 * 60
    response = client.post(
        reverse("deliberate:room-control", args=[sitting.jury.slug, sitting.pk]),
        {"do": "next", "submission_key": "5"},
        follow=True,
    )
    assert "This is the last item on the agenda" in response.content.decode()


def test_the_queue_offers_first_those_who_have_spoken_least(
    client, sitting, room, juror, other_juror, facilitator
):
    room_service.give_floor(room=room, user_id=juror.pk, by=facilitator)
    room_service.end_turn(room=room, by=facilitator)
    room_service.raise_hand(room=room, user=juror)  # spoke once, raised first
    room_service.raise_hand(room=room, user=other_juror)  # never spoke, raised second
    queue = room_service.panel_context(room)["queue"]
    assert [hand.user for hand in queue] == [other_juror, juror]


def test_a_hand_raised_twice_is_in_the_queue_once(client, sitting, room, juror):
    client.force_login(juror)
    url = reverse("deliberate:room-hand", args=[sitting.jury.slug, sitting.pk])
    client.post(url, {"do": "raise", "submission_key": "a"})
    client.post(url, {"do": "raise", "submission_key": "b"})
    assert room.hands.filter(lowered_at__isnull=True).count() == 1
    assert "Lower my hand" in page(client, sitting)


def test_giving_the_floor_records_turns_and_time_for_the_participation_balance(
    client, sitting, room, juror, facilitator, observer
):
    room_service.raise_hand(room=room, user=juror)
    client.force_login(facilitator)
    control(client, sitting, "floor", "f", user=str(juror.pk))
    room.refresh_from_db()
    assert room.speaker == juror
    assert not room.hands.filter(lowered_at__isnull=True).exists()
    assert "Jo has the floor" in page(client, sitting)
    Turn.objects.filter(user=juror).update(started_at=timezone.now() - timedelta(minutes=2))
    control(client, sitting, "end-turn", "g")
    client.force_login(observer)
    participation = client.get(reverse("deliberate:participation", args=[sitting.jury.slug]))
    text = participation.content.decode()
    assert "Jo" in text and "2.0" in text  # minutes spoken


def test_observers_cannot_be_given_the_floor(client, sitting, room, facilitator, observer):
    client.force_login(facilitator)
    response = control(client, sitting, "floor", "o", user=str(observer.pk))
    assert response.status_code == 302
    room.refresh_from_db()
    assert room.speaker is None


def add_jurors(jury, count):
    for number in range(count):
        person = make_user(f"juror{number}@example.org", f"Juror {number}")
        Membership.objects.create(jury=jury, user=person, role=Role.JUROR)


def test_small_groups_each_get_a_thread_and_everyone_comes_back_with_one_action(
    client, sitting, room, facilitator, juror
):
    add_jurors(sitting.jury, 5)
    client.force_login(facilitator)
    control(client, sitting, "split", "s", count="2", method="balanced")
    groups = list(SmallGroup.objects.filter(room=room))
    assert len(groups) == 2
    assert sorted(g.members.count() for g in groups) == [3, 3]
    assert all(g.thread for g in groups)
    control(client, sitting, "message", "m", text="Five minutes left in groups.")
    for group in groups:
        assert group.thread.posts.filter(body="Five minutes left in groups.").exists()
    control(client, sitting, "plenary", "p")
    room.refresh_from_db()
    assert not room.in_groups
    assert all(g.thread.pk for g in SmallGroup.objects.filter(room=room, closed_at__isnull=False))
    client.force_login(juror)
    listing = client.get(reverse("deliberate:threads", args=[sitting.jury.slug])).content.decode()
    assert "notes of group 1" in listing


def test_splitting_needs_enough_jurors_and_says_so(client, sitting, room, facilitator, juror):
    client.force_login(facilitator)
    response = client.post(
        reverse("deliberate:room-control", args=[sitting.jury.slug, sitting.pk]),
        {"do": "split", "count": "5", "submission_key": "x"},
        follow=True,
    )
    assert "You need at least four jurors" in response.content.decode()
    add_jurors(sitting.jury, 4)
    response = client.post(
        reverse("deliberate:room-control", args=[sitting.jury.slug, sitting.pk]),
        {"do": "split", "count": "5", "submission_key": "y"},
        follow=True,
    )
    assert "Choose between 2 and 2 groups" in response.content.decode()
    assert not SmallGroup.objects.exists()


def test_a_quick_poll_hides_results_until_the_facilitator_closes_it(
    client, sitting, room, facilitator, juror, other_juror
):
    client.force_login(facilitator)
    control(client, sitting, "poll", "q", question="Ready to move on?", options="Yes\nNot yet")
    poll = room.polls.get()
    for person, option in ((juror, "0"), (other_juror, "1")):
        client.force_login(person)
        client.post(
            reverse("deliberate:room-poll", args=[sitting.jury.slug, sitting.pk]),
            {"poll": poll.pk, "option": option, "submission_key": f"a{person.pk}"},
        )
    text = page(client, sitting)
    chart_id = f"poll-{poll.pk}-results"
    assert "2 answers so far" in text and chart_id not in text
    client.force_login(facilitator)
    control(client, sitting, "close-poll", "c")
    text = page(client, sitting)
    assert ["Yes", "1"] in table_rows(text) and ["Not yet", "1"] in table_rows(text)
    # One bar per answer, each half of the two people who answered.
    half = (WIDTH - 70) / 2
    assert widths(svg_of(text, chart_id), "chart-bar") == pytest.approx([half, half], abs=0.01)


def test_a_poll_with_one_answer_is_refused_and_what_was_typed_is_kept(
    client, sitting, room, facilitator
):
    client.force_login(facilitator)
    response = client.post(
        reverse("deliberate:room-control", args=[sitting.jury.slug, sitting.pk]),
        {"do": "poll", "question": "Lunch?", "options": "Yes", "submission_key": "z"},
        follow=True,
    )
    text = response.content.decode()
    assert "Give between 2 and 6 answers" in text
    assert 'value="Lunch?"' in text
    assert not room.polls.exists()


def test_an_unknown_control_is_refused_clearly(client, sitting, room, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("deliberate:room-control", args=[sitting.jury.slug, sitting.pk]),
        {"do": "explode", "submission_key": "u"},
        follow=True,
    )
    assert "That control is not known" in response.content.decode()


def test_while_a_sitting_is_on_the_jury_home_offers_its_live_room(client, sitting, juror):
    client.force_login(juror)
    home = client.get(reverse("juries:home", args=[sitting.jury.slug])).content.decode()
    assert "The sitting is on now" in home
    assert reverse("deliberate:room", args=[sitting.jury.slug, sitting.pk]) in home


def test_a_juror_learning_is_pointed_to_the_evidence(client, jury, juror):
    jury.stage = "learning"
    jury.save()
    client.force_login(juror)
    home = client.get(reverse("juries:home", args=[jury.slug])).content.decode()
    assert "Read the evidence" in home


def test_the_live_countdown_reads_minutes_and_seconds_left_without_a_stray_sign(
    client, sitting, room, juror
):
    """live.js fills the clock from the page's data-text-left; the text it builds must read
    "9:51 left" (issue 14 found "%9:51 left")."""
    client.force_login(juror)
    attribute = re.search(r'data-text-left="([^"]*)"', page(client, sitting)).group(1)
    script = (Path(__file__).resolve().parents[2] / "static/js/live.js").read_text()
    placeholder = re.search(r"text\('left'\)\.replace\('([^']+)'", script).group(1)
    assert html.unescape(attribute).replace(placeholder, "9:51") == "9:51 left"
