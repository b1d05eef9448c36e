"""Every jury page gets the jury's live updates, and each page takes only the parts it has a place
for: a post reaches the thread it belongs to (and the list of discussions notes it), an oversight
body's answer reaches the accountability page, and no page logs an error about a part it has no
place for (htmx's "out-of-band swap with no target").

Served by Daphne (`asgi_live_server`), since the updates come over WebSockets.
"""

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from deliberate import threads as thread_service
from juries.models import Stage
from tests.voting.responses_factories import close_vote, publish
from voting import responses
from voting.models import Recommendation, Revision

from .conftest import wait_until_live

pytestmark = pytest.mark.e2e

LIVE_WAIT = 10_000  # ms for an update to reach the browser

# Record what htmx reports about parts with nowhere to go, and any error in the console.
LISTEN = """
window.liveErrors = [];
document.addEventListener('htmx:oobErrorNoTarget', function (event) {
  window.liveErrors.push('no target: ' + (event.detail.content && event.detail.content.outerHTML));
});
"""


def answerable_recommendation(jury):
    rec = Recommendation.objects.create(
        jury=jury,
        number=1,
        statement="Tell people their risk score.",
        rationale="People flagged wrongly have a right to know.",
        addressed_to="Department for Benefits",
        revision_count=1,
    )
    Revision.objects.create(recommendation=rec, number=1, statement=rec.statement)
    close_vote(jury, adopted=[rec])
    publish(jury, at=timezone.now())
    jury.stage = Stage.RESPONSE
    jury.save(update_fields=["stage"])
    return rec


def open_listening(browse_live, user, url):
    browsing = browse_live()
    browsing.sign_in_as(Client(), user)
    browsing.context.add_init_script(script=LISTEN)
    errors = []
    browsing.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    browsing.goto(url)
    wait_until_live(browsing.page)
    return browsing, errors


def test_each_page_takes_only_the_live_parts_it_has_a_place_for(
    browse_live, asgi_live_server, jury, facilitator, juror, oversight
):
    rec = answerable_recommendation(jury)
    # Published as an event: done in the server's database thread (see asgi_server.py).
    thread = asgi_live_server.run(
        thread_service.start_thread,
        jury=jury,
        title="Who checks the scores?",
        body="Let us begin.",
        by=facilitator,
    )
    slug = jury.slug
    pages = [
        open_listening(browse_live, juror, f"/juries/{slug}/discussions/{thread.pk}/"),
        open_listening(browse_live, juror, f"/juries/{slug}/discussions/"),
        open_listening(browse_live, juror, f"/juries/{slug}/accountability/"),
    ]
    (discussion, _), (listing, _), (answers, _) = pages

    asgi_live_server.run(
        thread_service.add_post, thread=thread, body="Scores need a check.", by=facilitator
    )
    expect(discussion.page.get_by_text("Scores need a check.")).to_be_visible(timeout=LIVE_WAIT)
    expect(listing.page.get_by_text("New posts just now")).to_be_visible(timeout=LIVE_WAIT)

    asgi_live_server.run(
        responses.record_response, rec, oversight, "accepted", "We will tell people.", based_on=None
    )
    expect(answers.page.get_by_text("We will tell people.")).to_be_visible(timeout=LIVE_WAIT)
    # The last update has reached every page (each takes them in order): nothing left to log.
    for browsing, _errors in pages:
        browsing.page.wait_for_function(
            f"() => +document.getElementById('live').dataset.lastEvent >= {asgi_live_server.run(jury_seq, jury)}",
            timeout=LIVE_WAIT,
        )
    for browsing, errors in pages:
        logged = browsing.page.evaluate("() => window.liveErrors")
        assert logged == [], (browsing.page.url, logged)
        assert errors == [], (browsing.page.url, errors)


def jury_seq(jury):
    jury.refresh_from_db()
    return jury.last_event_seq
