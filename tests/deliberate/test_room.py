"""A sitting's live room over plain HTTP: the clock, the speaking queue, small groups, quick polls
and participation. The same controls reach open pages live (tested in test_live_connection.py)."""

import html
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deliberate import room as room_service
from deliberate.models import RoomState, SmallGroup, Turn
from juries.charts import WIDTH
from juries.models import JuryEvent, Membership, Role
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
    clock = re.search(r'<p class="room-clock">(.*?)</p>', page(client, sitting), re.S).group(1)
    assert re.match(r"1[45]:\d\d left <span[^>]*>Clock paused</span>", clock)  # as it counted
    control(client, sitting, "next", "4")
    room.refresh_from_db()
    assert room.current_item.title == "Error rates" and room.seconds_left == 20 * 60
    response = client.post(
        reverse("deliberate:room-control", args=[sitting.jury.slug, sitting.pk]),
        {"do": "next", "submission_key": "5"},
        follow=True,
    )
    assert "This is the last item on the agenda" in response.content.decode()


def in_the_room(html):
    """The names under "In the room now"."""
    section = re.search(r'<section id="room-presence".*?</section>', html, re.S).group(0)
    return re.findall(r"<li[^>]*>.*?([A-Z][a-z]+)\s*<span", section, re.S), section


def test_without_javascript_the_room_shows_who_has_it_open_never_nobody(
    client, sitting, room, juror, other_juror
):
    client.force_login(juror)
    names, section = in_the_room(page(client, sitting))
    assert "Nobody has the room open yet" not in section
    assert names == ["Jo"]  # the person reading the page has it open
    other = Client()
    other.force_login(other_juror)
    names, _section = in_the_room(page(other, sitting))
    assert sorted(names) == ["Jo", "Kim"]


def test_the_room_opens_with_the_clock_the_item_now_and_the_next_and_says_to_reload(
    client, sitting, room, juror, facilitator
):
    room_service.start(room=room, by=facilitator)
    client.force_login(juror)
    html = page(client, sitting)
    bar = re.search(r'<section class="room-bar".*?</section>', html, re.S).group(0)
    assert "Now: Welcome" in bar and "Next: Error rates (20 minutes)" in bar
    assert "data-ends-at=" in bar  # the clock counts down with JavaScript
    assert html.index("room-bar") < html.index("Want to speak?") < html.index("Hands raised")
    notice = re.search(r'<p id="live-notice"[^>]*>([^<]*)</p>', html)
    assert notice.group(1) == "Reload the page to see changes."  # true until JavaScript says
    assert 'data-text-live="This page updates itself' in notice.group(0)


def test_you_have_the_floor_is_shown_to_the_speaker_alone_and_pushed_hidden_for_the_script(
    client, sitting, room, juror, other_juror, facilitator
):
    room_service.give_floor(room=room, user_id=juror.pk, by=facilitator)
    client.force_login(juror)
    mine = page(client, sitting)
    banner = re.search(r'<div class="floor-banner"[^>]*>', mine).group(0)
    assert "hidden" not in banner and f'data-floor-for="{juror.pk}"' in banner
    assert "You have the floor" in mine
    other = Client()
    other.force_login(other_juror)
    theirs = page(other, sitting)
    assert "hidden" in re.search(r'<div class="floor-banner"[^>]*>', theirs).group(0)
    assert "Jo has the floor" in theirs
    pushed = JuryEvent.objects.filter(kind="room.floor").latest("seq").frames["juror"]
    assert "hidden" in re.search(r'<div class="floor-banner"[^>]*>', pushed).group(0)


def test_a_new_poll_is_shown_near_the_top_before_the_queue_and_the_agenda(
    client, sitting, room, juror, facilitator
):
    room_service.open_poll(
        room=room, by=facilitator, question="Ready to vote?", options=["Yes", "Not yet"]
    )
    client.force_login(juror)
    html = page(client, sitting)
    assert html.index("Ready to vote?") < html.index("Want to speak?") < html.index("Agenda</h2>")
    assert "Quick poll: your answer, please" in html
    pushed = JuryEvent.objects.filter(kind="room.poll").latest("seq").frames["juror"]
    assert "A quick poll has opened: Ready to vote?" in pushed  # announced politely
    assert (
        pushed.index('id="room-now"')
        < pushed.index("Ready to vote?")
        < pushed.index('id="room-panel"')
    )


def test_a_second_poll_takes_the_place_of_the_first(client, sitting, room, juror, facilitator):
    room_service.open_poll(room=room, by=facilitator, question="Ready?", options=["Yes", "No"])
    room_service.close_poll(room=room, by=facilitator)
    room_service.open_poll(
        room=room, by=facilitator, question="Check every score?", options=["Yes", "Not yet"]
    )
    client.force_login(juror)
    html = page(client, sitting)
    assert "Check every score?" in html and "Ready?" not in html


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
