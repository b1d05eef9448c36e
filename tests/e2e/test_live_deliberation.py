"""Live updates in real browsers: two jurors and a facilitator, each in a browser of their own.

A post in a discussion reaches the others' open pages, and in a sitting's live room a raised hand,
the floor, the agenda and the small groups reach everyone, all without reloading, announced
politely to screen readers. The people act by keyboard; axe-core checks every page they load and
the pages again once the live updates have been swapped in.

Served by Daphne (`asgi_live_server`, see asgi_server.py), since the updates come over WebSockets.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from deliberate import threads as thread_service
from juries.models import AgendaItem, Membership, Role, Sitting, Stage

from .conftest import axe_check, tab_to, type_into, wait_until_live

pytestmark = pytest.mark.e2e

THREAD = "Who checks the scores before anyone is investigated?"
MESSAGE = "I would want a person to look at every flagged claim before any letter goes out."
FIRST_ITEM = "Welcome and ground rules"
SECOND_ITEM = "Who should check the scores?"
POLL = "Should a person check every score?"
LIVE_WAIT = 10_000  # ms for an update to reach another browser


def signed_in(browse_live, user):
    """A new browser context signed in as `user`, with a test client of its own (see
    test_questions_flow.py)."""
    browsing = browse_live()
    browsing.sign_in_as(Client(), user)
    return browsing


def open_live(browsing, url):
    """Open `url`, wait for its live connection, and mark the page to tell later that it was not
    reloaded."""
    browsing.goto(url)
    wait_until_live(browsing.page)
    mark_page(browsing)


def mark_page(browsing):
    browsing.page.evaluate("() => { window.notReloaded = true; }")
    browsing.loads_when_marked = len(browsing.loaded)


def assert_not_reloaded(browsing):
    """The page got its update live: it is the same document and nothing navigated."""
    assert browsing.page.evaluate("() => window.notReloaded === true"), browsing.page.url
    assert len(browsing.loaded) == browsing.loads_when_marked, browsing.loaded


def assert_announced(browsing, text):
    """The update was announced politely to screen readers."""
    region = browsing.page.locator("#live-announce")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region).to_contain_text(text, timeout=LIVE_WAIT)


def press_button(browsing, name):
    """Tab to a button and press Enter: the form posts and the page reloads (axe-core checks it)."""
    page = browsing.page
    tab_to(page, page.get_by_role("button", name=name, exact=True))
    browsing.press("Enter")


# --- The data --------------------------------------------------------------------------------


def deliberating_jury_with_six_members(jury, make_person):
    """At the deliberation stage, with two more jurors (no browser) so that two small groups of
    at least two jurors can be made."""
    jury.stage = Stage.DELIBERATION
    jury.save(update_fields=["stage"])
    for email, name in [("lee@example.org", "Lee"), ("sam@example.org", "Sam")]:
        Membership.objects.create(jury=jury, user=make_person(email, name), role=Role.JUROR)


def sitting_with_two_items(jury):
    now = timezone.now()
    sitting = Sitting.objects.create(
        jury=jury,
        title="Third sitting",
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(hours=2),
    )
    AgendaItem.objects.create(sitting=sitting, position=1, title=FIRST_ITEM, planned_minutes=10)
    AgendaItem.objects.create(sitting=sitting, position=2, title=SECOND_ITEM, planned_minutes=30)
    return sitting


# --- 1. A discussion -------------------------------------------------------------------------


def juror_posts_and_the_others_see_it_live(writer, readers, thread):
    url = f"/juries/{thread.jury.slug}/discussions/{thread.pk}/"
    for browsing in [writer, *readers]:
        open_live(browsing, url)
    posts = f"#posts-{thread.pk}"
    for browsing in readers:
        expect(browsing.page.locator(posts).get_by_text(MESSAGE)).to_have_count(0)

    page = writer.page
    type_into(page, page.get_by_label("Your message"), MESSAGE)
    press_button(writer, "Post my message")
    expect(page.get_by_text("Your message has been posted.")).to_be_visible()
    expect(page.locator(posts).get_by_text(MESSAGE)).to_be_visible()

    for browsing in readers:
        expect(browsing.page.locator(posts).get_by_text(MESSAGE)).to_be_visible(timeout=LIVE_WAIT)
        expect(
            browsing.page.locator(posts).get_by_role("heading", name="Jo", exact=True)
        ).to_have_count(1)
        assert_announced(browsing, f"New post by Jo in “{THREAD}”.")
        assert_not_reloaded(browsing)
        axe_check(browsing.page)  # the post swapped in is clean too


# --- 2. The live room ------------------------------------------------------------------------


def juror_raises_their_hand(juror, facilitator):
    page = juror.page
    press_button(juror, "Raise my hand")
    expect(page.get_by_text("Your hand is raised.")).to_be_visible()
    expect(page.get_by_role("button", name="Lower my hand")).to_be_visible()
    wait_until_live(page)
    mark_page(juror)

    queue = facilitator.page.locator("#room-panel ol.queue")
    expect(queue.locator(".person", has_text="Jo")).to_be_visible(timeout=LIVE_WAIT)
    expect(queue.get_by_role("button", name="Give the floor to Jo")).to_be_visible()
    assert_announced(facilitator, "Jo raised their hand.")
    assert_not_reloaded(facilitator)
    axe_check(facilitator.page)


def facilitator_gives_the_floor(facilitator, jurors):
    press_button(facilitator, "Give the floor to Jo")
    expect(facilitator.page.locator("#room-panel .speaker")).to_contain_text("Jo has the floor")
    wait_until_live(facilitator.page)
    mark_page(facilitator)
    for browsing in jurors:
        speaker = browsing.page.locator("#room-panel .speaker")
        expect(speaker).to_contain_text("Jo has the floor", timeout=LIVE_WAIT)
        assert_not_reloaded(browsing)
    # Unmistakable for Jo alone, and said to Jo's screen reader; the others hear who speaks.
    jo, *others = jurors
    expect(jo.page.locator(".floor-banner")).to_be_visible()
    expect(jo.page.locator(".floor-banner")).to_contain_text("You have the floor")
    assert_announced(jo, "You have the floor.")
    for browsing in others:
        expect(browsing.page.locator(".floor-banner")).to_be_hidden()
        assert_announced(browsing, "Jo has the floor.")
    # The hand went down with the floor given: Jo's button offers to raise it again.
    speaking = jurors[0].page.locator("[data-hand-form] button")
    expect(speaking).to_have_text("Raise my hand")


def facilitator_moves_the_agenda(facilitator, jurors, control, item, announcement):
    press_button(facilitator, control)
    expect(facilitator.page.locator("#room-now .room-state")).to_contain_text(f"Now: {item}")
    wait_until_live(facilitator.page)
    mark_page(facilitator)
    for browsing in jurors:
        bar = browsing.page.locator("#room-now .room-bar")
        expect(bar.locator(".room-state")).to_contain_text(f"Now: {item}", timeout=LIVE_WAIT)
        expect(bar.locator(".room-state .tag")).to_have_text("Running")
        expect(bar.locator(".room-clock")).to_contain_text(" left")  # counting down
        panel = browsing.page.locator("#room-panel")
        expect(panel.locator("li[aria-current=step]")).to_contain_text(item)
        assert_announced(browsing, announcement)
        assert_not_reloaded(browsing)


def facilitator_opens_a_poll_that_jurors_see_at_the_top(facilitator, jurors):
    page = facilitator.page
    type_into(page, page.get_by_label("Quick poll question"), POLL)
    type_into(page, page.get_by_label("Answers, one per line"), "Yes")
    page.keyboard.press("Enter")
    page.keyboard.type("Not yet")
    press_button(facilitator, "Open the poll")
    expect(page.locator("#room-now .room-poll")).to_contain_text(POLL)
    wait_until_live(page)
    mark_page(facilitator)
    for browsing in jurors:
        poll = browsing.page.locator("#room-now .room-poll")  # above the queue and the agenda
        expect(poll).to_contain_text(POLL, timeout=LIVE_WAIT)
        expect(poll.get_by_role("button", name="Not yet")).to_be_visible()
        assert_announced(browsing, f"A quick poll has opened: {POLL}")
        assert_not_reloaded(browsing)


def facilitator_splits_into_two_balanced_groups(facilitator, jurors):
    page = facilitator.page
    count = page.get_by_label("Number of groups")
    tab_to(page, count)
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    tab_to(page, page.get_by_label("At random"))
    page.keyboard.press("ArrowDown")  # radio buttons: the arrow picks the next one
    expect(page.get_by_label("Balanced: spread those who have spoken most")).to_be_checked()
    press_button(facilitator, "Split into small groups")
    expect(page.get_by_role("heading", name="Small groups", exact=True)).to_be_visible()

    for browsing in jurors:
        panel = browsing.page.locator("#room-panel")
        heading = panel.get_by_role("heading", name="Small groups", exact=True)
        expect(heading).to_be_visible(timeout=LIVE_WAIT)
        expect(panel.locator("li.card")).to_have_count(2)
        for name in ["Jo", "Kim", "Lee", "Sam"]:
            expect(panel.locator("li.card", has_text=name)).to_have_count(1)
        assert_announced(browsing, "The jurors are now in 2 small groups. Find your group below.")
        assert_not_reloaded(browsing)
        axe_check(browsing.page)  # every update has been swapped in: the room is still clean


def test_posts_and_the_live_room_reach_everyone_without_reloading(
    browse_live, asgi_live_server, jury, facilitator, juror, other_juror, make_person
):
    deliberating_jury_with_six_members(jury, make_person)
    sitting = sitting_with_two_items(jury)
    # Published as an event: done in the server's database thread (see asgi_server.py).
    thread = asgi_live_server.run(
        thread_service.start_thread, jury=jury, title=THREAD, body="Let us begin.", by=facilitator
    )
    # Everyone signs in before any page opens: the test does its database work while the
    # server is idle.
    jo = signed_in(browse_live, juror)
    kim = signed_in(browse_live, other_juror)
    fran = signed_in(browse_live, facilitator)

    juror_posts_and_the_others_see_it_live(jo, [kim, fran], thread)

    room = f"/juries/{jury.slug}/sittings/{sitting.pk}/room/"
    for browsing in [jo, kim, fran]:
        open_live(browsing, room)
        notice = browsing.page.locator("#live-notice")
        expect(notice).to_have_text("This page updates itself: no need to reload it.")
    juror_raises_their_hand(jo, fran)
    facilitator_gives_the_floor(fran, [jo, kim])
    facilitator_moves_the_agenda(
        fran, [jo, kim], "Start the sitting", FIRST_ITEM, f"The sitting is running: “{FIRST_ITEM}”."
    )
    facilitator_moves_the_agenda(
        fran, [jo, kim], "Next agenda item", SECOND_ITEM, f"Now on the agenda: “{SECOND_ITEM}”."
    )
    facilitator_opens_a_poll_that_jurors_see_at_the_top(fran, [jo, kim])
    facilitator_splits_into_two_balanced_groups(fran, [jo, kim])
    axe_check(fran.page)
