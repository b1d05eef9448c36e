"""The one WebSocket of an open jury page.

It carries server-rendered fragments of the jury's events to the page (htmx swaps them in), plus
the few live gestures a sitting's room sends back (raise or lower a hand, answer a quick poll).
Every write made here goes through the same service functions and permission checks as the HTTP
forms, which remain the way to do everything without JavaScript.

Authorisation: on connect, the person's access comes from `get_jury_for()`, the door every page
goes through; every event forwarded is checked against that access. It is kept current by the
events themselves (a stage change, a role change, a removal: `access_after()`), so a removed
member stops receiving at once and the delivery path needs no database query. Events reach a
connection from its process's hub (hub.py), not through a channel of its own, so delivery has no
thread hop and no task switch; handlers that do touch the database close stale connections
themselves, in the thread that uses them.

A connection lasts no longer than the sign-in it was opened under (signins.py): it closes when
told that sign-in has ended, when its session expires (checked before each delivery, without a
query) and when the periodic check of this process's pages finds it no longer in force.
"""

import asyncio
import json
import logging
import math
import random
import time
import uuid
import weakref
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.db import close_old_connections
from django.utils.html import format_html
from django.utils.translation import gettext as _

from juries import events
from juries.permissions import Action, access_after, sees_every_small_group

from . import live, signins
from .forms import whole_number
from .hub import hub

logger = logging.getLogger(__name__)

REFUSED = 4403  # close code for a connection refused after the handshake
SIGNED_OUT = 4401  # close code once the sign-in the page was opened under has ended
GESTURE_INTERVAL = 1.0


def _db(function):
    """Run `function` in a worker thread with fresh database connections."""

    def wrapped(*args, **kwargs):
        close_old_connections()
        try:
            return function(*args, **kwargs)
        finally:
            close_old_connections()

    return database_sync_to_async(wrapped)


class JuryConsumer(AsyncWebsocketConsumer):
    # No channel of its own: the process's hub passes it the jury's events (see hub.py).
    channel_layer_alias = None
    jury_id = None
    access = None  # what this person may do in the jury (juries.permissions.JuryAccess)
    last_seq = 0
    ended = False
    expires_at = math.inf

    async def connect(self):
        user = self.scope.get("user")
        session = self.scope.get("session")
        self.session_key = session.session_key if session is not None else None
        slug = self.scope["url_route"]["kwargs"]["slug"]
        query = parse_qs(self.scope.get("query_string", b"").decode())
        sitting_id = whole_number(query.get("sitting", [""])[0])
        after = whole_number(query.get("after", [""])[0])
        state = await _db(live.connection_state)(user, self.session_key, slug, sitting_id)
        if state is None:
            await self.close(code=REFUSED)  # before accepting: the handshake is refused
            return
        self.access = state.access
        self.jury_id = state.access.jury.pk
        self.user_id = state.user_id
        self.small_groups = set(state.small_group_ids)
        self.sitting_id = state.sitting_id
        self.session_tag = signins.session_tag(self.session_key)
        if state.session_expires_at is not None:
            self.expires_at = state.session_expires_at
        self.lock = asyncio.Lock()
        self.pending = []  # live events that arrived while catching up
        self.catching_up = None
        self.last_gesture = 0.0
        self.connection_id = f"live.{uuid.uuid4().hex}"
        try:
            await hub().join(self)
        except Exception:  # the channel layer is unreachable: tell the page to wait and retry
            logger.warning("Live connection refused: channel layer unavailable", exc_info=True)
            await self.close(code=1011)
            return
        await self.accept()
        _watch.add(self)
        _signins.add(self)
        # A page cannot be ahead of the jury (after a reset, say); one far behind reloads instead.
        self.last_seq = min(after, state.last_seq) if after is not None else state.last_seq
        if state.last_seq - self.last_seq > events.REPLAY_LIMIT:
            self.last_seq = state.last_seq
            await self.send(text_data=_status_frame(_("Much has changed. Reload the page.")))
        # Always: it also covers events between reading the state and joining the group.
        await self.catch_up()
        if self.sitting_id:
            await _db(live.arrive)(self.sitting_id, self.user_id, self.connection_id)
            self.heartbeat = asyncio.create_task(self.keep_present())

    async def keep_present(self):
        """While the room is open, say so now and then; a server that died leaves no one "in the
        room" for longer than live.PRESENT_FOR."""
        while True:
            await asyncio.sleep(live.HEARTBEAT_SECONDS)
            await _db(live.still_here)(self.connection_id)

    async def disconnect(self, code):
        if getattr(self, "heartbeat", None):
            self.heartbeat.cancel()
        if self.jury_id is None:
            return
        try:
            await hub().leave(self)
        except Exception:
            logger.info("Could not leave the jury group cleanly", exc_info=True)
        if self.sitting_id:
            await _db(live.leave)(self.connection_id)

    async def from_hub(self, message):
        """An event (or a nudge, or presence) for this jury, from the process's hub.

        The hot path: no database work and no task switch unless this page is behind. Events
        that arrive while the page catches up wait in `pending` and follow in order.
        """
        if self.ended:
            return
        kind = message["type"]
        if kind == "jury.event":
            seq = message["seq"]
            if seq <= self.last_seq:
                return  # already sent (a replay and the live stream overlapped)
            if self.lock.locked() or seq > self.last_seq + 1:
                self.pending.append(message)  # catching up, or something was missed
                self.start_catching_up()
                return
            await self.deliver(message)
        elif kind == "jury.catchup":
            if message.get("seq", 0) > self.last_seq:  # only pages that are behind ask the DB
                self.start_catching_up()
        elif kind == "jury.presence":
            await self.jury_presence(message)
        elif kind == signins.END and self.opened_under(message):
            await self.end()

    def opened_under(self, message):
        """Whether an "end" message names this page's person and, if it names one, its session."""
        return message["user"] == self.user_id and message["session"] in (None, self.session_tag)

    async def end(self, code=SIGNED_OUT):
        """Deliver nothing more, and close: by default because the sign-in this page was opened
        under has ended."""
        if not self.ended:
            self.ended = True
            await self.close(code=code)

    async def signed_in(self):
        """False, having closed the page, once its session has expired. No database query."""
        if not self.ended and time.time() >= self.expires_at:
            await self.end()
        return not self.ended

    def start_catching_up(self):
        if self.catching_up is None or self.catching_up.done():
            self.catching_up = asyncio.get_running_loop().create_task(self.catch_up())

    def may(self, action):
        return self.access.may[action]

    @property
    def role(self):
        """The person's role in the jury; None once they are no longer a member."""
        return self.access.role if self.access is not None else None

    def apply(self, data):
        """Keep this connection's access (the jury's stage, the person's role) and small groups in
        step with the jury."""
        stage = data.get("stage", self.access.jury.stage)
        role = data.get("role") if data.get("member") == self.user_id else self.role
        if stage != self.access.jury.stage or role != self.role:
            self.access = access_after(self.access, stage=stage, role=role)
        self.small_groups.difference_update(data.get("closed_groups", ()))
        mine = data.get("groups", {}).get(str(self.user_id))
        if mine is not None:
            self.small_groups.add(mine)

    async def deliver(self, message):
        if message["seq"] <= self.last_seq or not await self.signed_in():
            return
        self.last_seq = message["seq"]
        data = message["data"]
        if data:
            self.apply(data)
            if self.role is None:  # removed from the jury: stop here and now
                await self.end(REFUSED)
                return
        if not self.may(message["requires"]):
            return
        if message["kind"].startswith("room.") and data.get("sitting") != self.sitting_id:
            return  # another sitting's room, or a page that is not a room
        group = message["group"]
        if (
            group is not None
            and group not in self.small_groups
            and not sees_every_small_group(self.access)
        ):
            return
        frame = message["frames"].get(self.role)
        if frame:
            await self.send(text_data=frame)

    async def catch_up(self):
        async with self.lock:
            await self._catch_up()

    async def _catch_up(self):
        """Send, in order, every event after the last one this connection handled: from the
        database, then those that arrived live meanwhile."""
        while self.role is not None and not self.ended:
            batch = await _db(events.events_after)(self.jury_id, self.last_seq)
            for event in batch:
                await self.deliver(events.replay_message(event))
                if self.role is None or self.ended:
                    return
            if len(batch) == events.REPLAY_BATCH:
                continue
            self.pending.sort(key=lambda message: message["seq"])
            while self.pending and self.pending[0]["seq"] <= self.last_seq + 1:
                await self.deliver(self.pending.pop(0))
            if not self.pending:
                return
            # A gap remains before the next live event: it is in the database by now.

    async def paused(self):
        if not await self.signed_in():
            return
        await self.send(
            text_data=_status_frame(
                _(
                    "Live updates are paused. What you post is still saved; this page will catch "
                    "up when they are back, or reload it to see everything new."
                )
            )
        )

    async def resumed(self):
        if not await self.signed_in():
            return
        await self.catch_up()
        await self.send(
            text_data=format_html(
                '<p id="live-status" class="live-status" role="status" hx-swap-oob="true" hidden>'
                "</p>"
                '<div hx-swap-oob="innerHTML:#live-announce">{}</div>',
                _("Live updates are back."),
            )
        )

    async def jury_presence(self, message):
        """Who is in a sitting's room: not saved as an event, so sent only to the room."""
        if message["sitting"] != self.sitting_id or not self.may(Action.JOIN_SITTING):
            return
        if await self.signed_in():
            await self.send(text_data=message["html"])

    async def receive(self, text_data=None, bytes_data=None):
        """A live gesture from the room: {"action": "raise_hand" | "lower_hand" | "answer_poll"}.

        Refused, with a message the page shows, unless the permissions module allows it. Posting
        is done over HTTP only.
        """
        if self.jury_id is None or not await self.signed_in() or await self.throttled():
            return
        if not await _db(signins.still_signed_in)(self.session_key, self.user_id):
            await self.end()
            return
        try:
            request = json.loads(text_data or "{}")
        except ValueError:
            request = {}
        if not isinstance(request, dict):
            request = {}
        reply = await _db(live.gesture)(
            user_id=self.user_id,
            jury_id=self.jury_id,
            sitting_id=self.sitting_id,
            request=request,
        )
        if reply:
            await self.send(text_data=reply)

    async def throttled(self):
        """At most one gesture a second per page: enough for people, not for a script."""
        now = asyncio.get_running_loop().time()
        if now - self.last_gesture < GESTURE_INTERVAL:
            await self.send(text_data=_status_frame(_("Please wait a moment and try again.")))
            return True
        self.last_gesture = now
        return False


def _status_frame(text):
    return format_html(
        '<p id="live-status" class="live-status" role="status" hx-swap-oob="true">{}</p>', text
    )


class _Periodic:
    """One per server process: something done every few seconds for the pages open on it, while
    any are open."""

    EVERY = 5.0

    def __init__(self):
        self.consumers = weakref.WeakSet()
        self.task = None
        self.loop = None

    def add(self, consumer):
        self.consumers.add(consumer)
        loop = asyncio.get_running_loop()
        if self.task is None or self.task.done() or self.loop is not loop:
            self.loop = loop
            self.started()
            self.task = loop.create_task(self.run())

    def started(self):
        pass

    async def run(self):
        while self.consumers:
            await asyncio.sleep(self.EVERY)
            await self.tick()

    async def tick(self):
        raise NotImplementedError


class _LayerWatch(_Periodic):
    """Notices when the channel layer (Redis) stops answering, tells the pages open on this
    process that live updates are paused, and when it answers again has each of them catch up
    from the database. Costs one publish every few seconds while pages are open.
    """

    TIMEOUT = 3.0
    RESUBSCRIBED_AFTER = 2.0  # channels_redis waits a second after a receive error

    def started(self):
        self.layer = get_channel_layer()
        self.down = False

    async def healthy(self):
        try:
            await asyncio.wait_for(
                self.layer.group_send("live-health", {"type": "live.health"}), self.TIMEOUT
            )
        except Exception:
            return False
        return True

    async def tick(self):
        down = not await self.healthy()
        if down == self.down:
            return
        self.down = down
        if not down:
            # Publishing works again a moment before this process has subscribed again:
            # catch up once that is done, so nothing published in between is missed.
            await asyncio.sleep(self.RESUBSCRIBED_AFTER)
        logger.warning("Live updates %s", "paused" if self.down else "resumed")
        for consumer in list(self.consumers):
            try:
                await (consumer.paused() if self.down else consumer.resumed())
            except Exception:
                logger.info("Could not tell a page about live updates", exc_info=True)


class _SignInWatch(_Periodic):
    """Closes the pages open on this process whose session is no longer in force or whose person
    is no longer in good standing, should the message saying so have been lost (signins.py).
    Costs two queries every few seconds; the two-factor rule (a query or two per person) is asked
    of each person once every MFA_EVERY seconds, counted from when their page opened.
    """

    MFA_EVERY = 60.0

    def __init__(self):
        super().__init__()
        self.mfa_checked = {}  # person -> when (monotonic) the two-factor rule was last asked

    def add(self, consumer):
        super().add(consumer)
        # Opening the page asked it (live.connection_state). Pretend a random while ago, so that
        # after a mass reconnection the people come due spread over MFA_EVERY, not all at once.
        self.mfa_checked.setdefault(
            consumer.user_id, time.monotonic() - random.uniform(0, self.MFA_EVERY)
        )

    def due_for_mfa(self, people):
        """Those of `people` whose two-factor standing is to be asked again now."""
        now = time.monotonic()
        self.mfa_checked = {
            person: when for person, when in self.mfa_checked.items() if person in people
        }
        return {
            person
            for person in people
            if now - self.mfa_checked.get(person, -math.inf) >= self.MFA_EVERY
        }

    async def tick(self):
        pages = [consumer for consumer in self.consumers if not consumer.ended]
        if not pages:
            return
        people = {page.user_id for page in pages}
        due = self.due_for_mfa(people)
        try:
            in_force, good = await _db(signins.standing)(
                {page.session_key for page in pages}, people, due
            )
        except Exception:  # the database is away: the next round tries again
            logger.warning("Could not check the sign-ins of live pages", exc_info=True)
            return
        self.mfa_checked.update(dict.fromkeys(due, time.monotonic()))
        for page in pages:
            if page.session_key in in_force and page.user_id in good:
                # A session that was used again may now last longer.
                page.expires_at = in_force[page.session_key] or math.inf
            else:
                try:
                    await page.end()
                except Exception:
                    logger.info("Could not close a live page", exc_info=True)


_watch = _LayerWatch()
_signins = _SignInWatch()
