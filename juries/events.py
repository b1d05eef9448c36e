"""Each jury's event stream: persist first, then broadcast.

Every change other members should see calls `publish()` inside the transaction that makes it. The
event row gets the jury's next number (the jury row stays locked until commit, so numbers are given
in commit order) and is sent to the jury's channel group only after the transaction commits. A
client that was away asks for everything after the last number it saw (`events_after()`), so a
broken connection, a restarted server or a lost Redis message loses nothing.

If the channel layer cannot be reached, the change is still saved: `publish()` never fails because
of Redis. A background thread keeps nudging the affected juries until the layer answers again, and
connected pages then fetch what they missed from the database.
"""

import logging
import threading
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Jury, JuryEvent, Role
from .permissions import Action, allowed

logger = logging.getLogger(__name__)

REPLAY_BATCH = 200
# A page further behind than this is asked to reload rather than replay: what it would replay is
# old, and a full page shows the present state in one request.
REPLAY_LIMIT = 1000


def group_name(jury_id):
    """One channel group per jury: never a global one."""
    return f"jury-{jury_id}"


def render_frames(jury, requires, template, context):
    """Each role's HTML for an event, for the roles allowed `requires` at the jury's stage.

    The template gets the same `may` mapping full pages get, for that role, so one partial serves
    the page, an htmx swap and a live push. Rendered once per role, whatever the number of
    recipients, in the site's time zone and language (not the acting person's). Forms inside carry
    no CSRF token: no secret travels over the socket; the page's script fills in its own.
    """
    frames = {}
    with timezone.override(settings.TIME_ZONE), translation.override(settings.LANGUAGE_CODE):
        for role in Role:
            if not allowed(role, jury.stage, requires):
                continue
            may = {action.value: allowed(role, jury.stage, action) for action in Action}
            frames[role.value] = render_to_string(
                template, {**context, "jury": jury, "may": may, "csrf_token": "", "live": True}
            )
    return frames


def publish(jury, kind, *, requires, template=None, context=None, data=None, small_group_id=None):
    """Save an event for `jury` and broadcast it once the caller's transaction commits.

    Call it inside the transaction that makes the change; it locks the jury row until commit.
    People allowed `requires` receive `template` rendered for their role (if given) and `data`.
    """
    frames = render_frames(jury, requires, template, context or {}) if template else {}
    with transaction.atomic():
        Jury.objects.filter(pk=jury.pk).update(last_event_seq=F("last_event_seq") + 1)
        seq = Jury.objects.filter(pk=jury.pk).values_list("last_event_seq", flat=True).get()
        event = JuryEvent.objects.create(
            jury_id=jury.pk,
            seq=seq,
            kind=kind,
            requires=str(requires),
            frames=frames,
            data=data or {},
            small_group_id=small_group_id,
        )
    jury.last_event_seq = seq
    transaction.on_commit(lambda: broadcast(event))
    return event


def header(seq, sent_at):
    # The page reads the number to know where it is; the time lets the benchmark measure fan-out.
    return f"<!--ev {seq} {sent_at:.6f}-->"


def event_message(event, sent_at):
    """The channel-layer message for one event, encoded once for every recipient."""
    prefix = header(event.seq, sent_at)
    return {
        "type": "jury.event",
        "jury": event.jury_id,
        "seq": event.seq,
        "kind": event.kind,
        "requires": event.requires,
        "group": event.small_group_id,
        "data": event.data,
        "frames": {role: prefix + html for role, html in event.frames.items()},
    }


def broadcast(event):
    send_to_jury(event.jury_id, event_message(event, time.time()), seq=event.seq)


def send_to_jury(jury_id, message, *, seq=None):
    """Send `message` to everyone connected to the jury. Never raises: if the layer is down, the
    jury is remembered and nudged when it is back (events themselves are already saved)."""
    try:
        async_to_sync(get_channel_layer().group_send)(group_name(jury_id), message)
    except Exception:  # Redis down, timed out, or refused: posting must not fail because of it
        logger.warning("Live updates for jury %s not sent; will retry", jury_id, exc_info=True)
        if seq is not None:
            _outage.remember(jury_id, seq)


def events_after(jury_id, after, *, limit=REPLAY_BATCH):
    """The jury's events numbered above `after`, oldest first, at most `limit` of them."""
    return list(JuryEvent.objects.filter(jury_id=jury_id, seq__gt=after).order_by("seq")[:limit])


def replay_message(event):
    return event_message(event, event.created_at.timestamp())


def forget_frames(jury_id, **data):
    """Drop the stored HTML of earlier events matching `data` (for example a post now hidden or
    withdrawn), so replaying the stream never shows what the page itself no longer shows."""
    lookups = {f"data__{key}": value for key, value in data.items()}
    return JuryEvent.objects.filter(jury_id=jury_id, **lookups).update(frames={})


class _Outage:
    """Juries whose latest events could not be broadcast, nudged every few seconds until the
    channel layer answers. A nudge tells connected pages the latest number; each page then
    fetches what it missed from the database.

    A publish succeeds as soon as Redis is back, even before the server processes have
    subscribed again (they notice about a second later), so the first nudges may reach nobody:
    keep nudging for a few rounds after the first one goes through.
    """

    RETRY_EVERY = 2.0
    ROUNDS_AFTER_RECOVERY = 3

    def __init__(self):
        self.lock = threading.Lock()
        self.pending = {}  # jury id -> [latest seq, nudges still to send once Redis answers]
        self.thread = None

    def remember(self, jury_id, seq):
        with self.lock:
            latest = max(seq, self.pending.get(jury_id, [0])[0])
            self.pending[jury_id] = [latest, self.ROUNDS_AFTER_RECOVERY]
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._retry, name="live-retry", daemon=True)
                self.thread.start()

    def _retry(self):
        while True:
            time.sleep(self.RETRY_EVERY)
            with self.lock:
                pending = {jury_id: entry[0] for jury_id, entry in self.pending.items()}
            if not pending:
                return
            for jury_id, seq in pending.items():
                try:
                    async_to_sync(get_channel_layer().group_send)(
                        group_name(jury_id), {"type": "jury.catchup", "jury": jury_id, "seq": seq}
                    )
                except Exception:
                    break  # still down; try again later
                self._nudged(jury_id, seq)

    def _nudged(self, jury_id, seq):
        with self.lock:
            entry = self.pending.get(jury_id)
            if entry is None or entry[0] != seq:
                return  # a newer event failed meanwhile: it has its own rounds
            entry[1] -= 1
            if entry[1] <= 0:
                del self.pending[jury_id]
                logger.info("Live updates for jury %s resumed", jury_id)


_outage = _Outage()
