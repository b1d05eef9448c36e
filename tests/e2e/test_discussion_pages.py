"""Every deliberation page each persona can reach passes axe-core, filled with realistic content:
a reply, an edited post, a withdrawn post, a hidden post, flags, a live room with a queue, small
groups and a closed poll. (Live updates themselves are tested in test_live_deliberation.py.)"""

from datetime import timedelta

import pytest
from django.utils import timezone

from deliberate import room as room_service
from deliberate import threads as thread_service
from juries.models import AgendaItem, Membership, Role, Sitting
from tests.conftest import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def talking_jury(jury, personas):
    jury.stage = "deliberation"
    jury.save()
    facilitator, juror = personas["facilitator"], personas["juror"]
    for number in range(4):
        person = make_user(f"extra{number}@example.org", f"Extra juror {number}")
        Membership.objects.create(jury=jury, user=person, role=Role.JUROR)
    thread = thread_service.start_thread(
        jury=jury, title="What if the score is wrong?", body="Who *checks* it?", by=facilitator
    )
    mine = thread_service.add_post(thread=thread, body="A first thought.", by=juror)
    thread_service.edit_post(post=mine, body="A better first thought.", by=juror)
    other = Membership.objects.filter(jury=jury, role=Role.JUROR).exclude(user=juror).first().user
    reply = thread_service.add_post(thread=thread, body="I agree.", by=other, reply_to=mine)
    hidden = thread_service.add_post(thread=thread, body="Something unkind.", by=other)
    thread_service.flag_post(post=hidden, by=juror, reason="Unkind")
    thread_service.hide_post(post=hidden, by=facilitator, reason="Please be kind")
    withdrawn = thread_service.add_post(thread=thread, body="Taken back.", by=other)
    thread_service.withdraw_post(post=withdrawn, by=other)
    thread_service.flag_post(post=reply, by=juror, reason="Off topic")
    now = timezone.now()
    sitting = Sitting.objects.create(
        jury=jury, title="Second sitting", starts_at=now, ends_at=now + timedelta(hours=2)
    )
    AgendaItem.objects.create(sitting=sitting, position=1, title="Welcome", planned_minutes=10)
    AgendaItem.objects.create(sitting=sitting, position=2, title="Error rates", planned_minutes=30)
    room = room_service.room_for(sitting)
    room_service.start(room=room, by=facilitator)
    room_service.raise_hand(room=room, user=other)
    room_service.give_floor(room=room, user_id=juror.pk, by=facilitator)
    room_service.open_poll(room=room, by=facilitator, question="Ready?", options=["Yes", "No"])
    room_service.answer_poll(poll=room.polls.get(), user=other, option=0)
    room_service.close_poll(room=room, by=facilitator)
    room_service.split_into_groups(room=room, by=facilitator, count=2)
    return jury, thread, mine, reply, sitting


def pages_for(role, jury, thread, mine, reply, sitting):
    base = f"/juries/{jury.slug}"
    pages = [f"{base}/sittings/{sitting.pk}/room/"] if role != Role.OVERSIGHT else []
    if role in (Role.FACILITATOR, Role.JUROR, Role.OBSERVER):
        pages += [
            f"{base}/discussions/",
            f"{base}/discussions/{thread.pk}/",
            f"{base}/posts/{mine.pk}/history/",
        ]
    if role in (Role.FACILITATOR, Role.JUROR):
        pages += [f"{base}/discussions/new/", f"{base}/posts/{mine.pk}/reply/"]
    if role == Role.JUROR:
        pages += [
            f"{base}/posts/{mine.pk}/edit/",
            f"{base}/posts/{mine.pk}/withdraw/",
            f"{base}/posts/{reply.pk}/flag/",
        ]
    if role in (Role.FACILITATOR, Role.OBSERVER):
        pages += [f"{base}/discussions/moderation/", f"{base}/discussions/participation/"]
    if role == Role.FACILITATOR:
        pages.append(f"{base}/posts/{reply.pk}/moderate/")
    return pages + ["/account/notifications/"]


@pytest.mark.parametrize("persona", ["facilitator", "juror", "witness", "observer", "oversight"])
def test_every_deliberation_page_a_member_can_reach_passes_axe(
    browse, client, talking_jury, personas, persona
):
    jury, thread, mine, reply, sitting = talking_jury
    user = personas[persona]
    role = Membership.objects.get(jury=jury, user=user).role
    browsing = browse()
    browsing.sign_in_as(client, user)
    for path in pages_for(role, jury, thread, mine, reply, sitting):
        browsing.goto(path)
    assert browsing.checked


def test_discussion_forms_showing_errors_pass_axe(browse, client, talking_jury, personas):
    jury, thread, _mine, reply, _sitting = talking_jury
    browsing = browse()
    browsing.sign_in_as(client, personas["juror"])
    page = browsing.page

    browsing.goto(f"/juries/{jury.slug}/discussions/{thread.pk}/")
    page.get_by_role("button", name="Post my message").focus()
    browsing.press("Enter", status=400)
    assert page.get_by_role("heading", name="There is a problem").is_visible()

    browsing.goto(f"/juries/{jury.slug}/discussions/new/")
    page.get_by_role("button", name="Start the discussion").focus()
    browsing.press("Enter")
    assert page.get_by_role("heading", name="There is a problem").is_visible()

    browsing.goto(f"/juries/{jury.slug}/posts/{reply.pk}/flag/")
    page.get_by_role("button", name="Send to the facilitators").focus()
    browsing.press("Enter")
    assert page.get_by_role("heading", name="There is a problem").is_visible()
