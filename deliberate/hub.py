"""One listener per server process for every jury with pages open on it.

Channels' textbook pattern gives each connection its own channel in the jury's group: every event
then wakes one task per connection, and each unpacks the whole message again. Here the process
holds a single channel, joins the group of each jury that has pages open on this process, unpacks
each event once, and hands it to those pages in turn (`JuryConsumer.from_hub`), which write it to
their sockets directly. The cost per recipient is then the permission check and the socket
write. Measured in `make bench`; see the notes in tests/bench/test_live_bench.py.
"""

import asyncio
import logging
import weakref

from channels.layers import get_channel_layer

from juries import events

logger = logging.getLogger(__name__)


class Hub:
    def __init__(self, layer):
        self.layer = layer
        self.members = {}  # jury id -> set of consumers
        self.channel = None
        self.task = None
        self.lock = asyncio.Lock()

    async def join(self, consumer):
        """Start passing the jury's events to `consumer`. Raises if the layer is unreachable."""
        async with self.lock:
            if self.channel is None:
                self.channel = await self.layer.new_channel("hub.")
                self.task = asyncio.get_running_loop().create_task(self.run())
            consumers = self.members.get(consumer.jury_id)
            if not consumers:
                await self.layer.group_add(events.group_name(consumer.jury_id), self.channel)
                consumers = self.members[consumer.jury_id] = set()
            consumers.add(consumer)

    async def leave(self, consumer):
        async with self.lock:
            consumers = self.members.get(consumer.jury_id)
            if consumers is None:
                return
            consumers.discard(consumer)
            if not consumers:
                del self.members[consumer.jury_id]
                await self.layer.group_discard(events.group_name(consumer.jury_id), self.channel)

    async def run(self):
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # the layer lost Redis: it reconnects by itself
                logger.info("Live hub could not receive; retrying", exc_info=True)
                await asyncio.sleep(1)
                continue
            for consumer in list(self.members.get(message.get("jury"), ())):
                try:
                    await consumer.from_hub(message)
                except Exception:
                    logger.exception("A live page could not take an event")


_hubs = weakref.WeakKeyDictionary()  # one per event loop (tests run several loops)


def hub():
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs[loop] = Hub(get_channel_layer())
    return _hubs[loop]
