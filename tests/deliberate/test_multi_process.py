"""Live updates across real server processes: two daphne processes sharing a real Redis, Redis
going away and coming back, and a server killed and restarted.

Everything runs as separate processes (see tests/live_servers.py): a throwaway database, a
redis-server of the stack's own on a free port, and daphne. The clients are real WebSocket
clients; posts are made over HTTP, as the form makes them.
"""

import asyncio

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from tests.live_servers import LiveStack, missing_binaries, seq_and_time

A, B = 0, 1


@pytest.fixture(scope="module")
def stack():
    reason = missing_binaries()
    if reason:
        pytest.skip(f"needs real server processes: {reason}")
    with LiveStack(servers=2, jurors=3) as live:
        yield live


@pytest.fixture
def live(stack):
    stack.ensure_running()  # an earlier test may have stopped Redis or a server
    yield stack
    print(stack.logs())  # shown by pytest only when the test failed


class Tab:
    """One open jury page's socket, as a browser holds it: remembers the last event number it
    saw and, if the server closes the socket, reconnects asking for everything after it."""

    def __init__(self, stack, server):
        self.stack = stack
        self.server = server
        self.ws = None
        self.frames = []  # (seq, html) in arrival order
        self.notes = []  # frames that are not events
        self.after = None  # the number the page started from

    @classmethod
    async def open(cls, stack, server, after=None):
        tab = cls(stack, server)
        tab.after = after
        await tab.connect(after)
        return tab

    async def connect(self, after=None):
        self.ws = await connect(
            self.stack.ws_url(self.server, after), **self.stack.ws_options(self.server)
        )

    @property
    def last_seq(self):
        return self.frames[-1][0] if self.frames else self.after

    def said(self, text):
        return any(text in note for note in self.notes)

    def count(self, text):
        return sum(text in html for _, html in self.frames)

    async def receive_until(self, done, *, timeout, reconnect=False):
        """Collect frames until `done()` is true or `timeout` seconds have passed; returns
        `done()`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not done():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                frame = await asyncio.wait_for(self.ws.recv(), remaining)
            except TimeoutError:
                continue
            except ConnectionClosed:
                if not reconnect:
                    raise
                await self.reconnect(deadline)
                continue
            head = seq_and_time(frame)
            if head is not None:
                self.frames.append((head[0], frame))
            else:
                self.notes.append(frame)  # status lines: paused, back
        return True

    async def reconnect(self, deadline):
        loop = asyncio.get_running_loop()
        while loop.time() < deadline:
            await asyncio.sleep(0.5)
            try:
                await self.connect(after=self.last_seq)
            except (OSError, InvalidHandshake, TimeoutError):
                continue
            return

    async def receive_nothing_more(self, seconds):
        """Whatever arrives in the next `seconds` seconds (a duplicate would)."""
        await self.receive_until(lambda: False, timeout=seconds)

    async def close(self):
        await self.ws.close()


async def post(stack, body, server):
    return await asyncio.to_thread(stack.post, body, server=server)


async def test_a_post_made_through_one_server_reaches_a_client_of_the_other(live):
    tab = await Tab.open(live, B)
    body = "Posted through server A, read through server B."

    status, _ = await post(live, body, A)

    assert status == 302
    assert await tab.receive_until(lambda: tab.count(body), timeout=10), tab.frames
    await tab.receive_nothing_more(0.5)
    assert tab.count(body) == 1
    await tab.close()


async def test_posting_works_while_redis_is_down_and_the_event_arrives_once_it_is_back(live):
    before = await asyncio.to_thread(live.state)
    tab = await Tab.open(live, A, after=before["last_seq"])
    body = "Posted while Redis was down."
    live.redis.stop()
    # The open page is told, within a few seconds, that live updates are paused.
    assert await tab.receive_until(lambda: tab.said("Live updates are paused"), timeout=15)

    status, location = await post(live, body, B)

    assert status == 302, "posting must not fail because Redis is down"
    assert "#post-" in location
    saved = await asyncio.to_thread(live.state)
    assert saved["posts"][-1] == body

    live.redis.start()  # same port; the servers find it again by themselves
    assert await tab.receive_until(lambda: tab.count(body), timeout=15, reconnect=True)
    await tab.receive_nothing_more(1.5)
    assert tab.count(body) == 1, "received exactly once"
    assert tab.last_seq == saved["last_seq"]
    await tab.close()


async def test_a_restarted_server_loses_nothing(live):
    tab = await Tab.open(live, A)
    await post(live, "Before server A went down.", B)
    assert await tab.receive_until(lambda: tab.count("Before server A went down."), timeout=10)
    seen = tab.last_seq

    live.servers[A].kill()
    with pytest.raises(ConnectionClosed):
        await asyncio.wait_for(tab.ws.recv(), 10)
    missed = [f"Missed while server A was down, number {n}." for n in range(1, 5)]
    for body in missed:
        assert (await post(live, body, B))[0] == 302
    live.servers[A].start()

    tab = await Tab.open(live, A, after=seen)
    assert await tab.receive_until(lambda: len(tab.frames) >= len(missed), timeout=10), tab.frames
    await tab.receive_nothing_more(1)
    assert [seq for seq, _ in tab.frames] == list(range(seen + 1, seen + 1 + len(missed)))
    for (_, html), body in zip(tab.frames, missed, strict=True):
        assert body in html
    await tab.close()


async def test_signing_out_through_one_server_closes_the_page_open_on_the_other(live):
    signing_out = 2  # a juror of their own: the other tests go on posting as juror 0
    ws = await connect(live.ws_url(B), **live.ws_options(B, juror=signing_out))

    status, _ = await asyncio.to_thread(live.sign_out, server=A, juror=signing_out)

    assert status == 302
    with pytest.raises(ConnectionClosed) as closed:
        while True:  # nothing but the close may arrive
            frame = await asyncio.wait_for(ws.recv(), 5)
            assert seq_and_time(frame) is None, frame
    assert closed.value.rcvd.code == 4401
    with pytest.raises(InvalidHandshake):  # and the page cannot come back under that session
        await connect(live.ws_url(B), **live.ws_options(B, juror=signing_out))
