"""An ASGI live server for the browser tests of the live features: HTTP and WebSockets together.

pytest-django's `live_server` is WSGI and cannot answer a WebSocket. This runs the project's own
ASGI application (`deliberate.asgi.application`: Channels, the origin check, the session cookie)
in Daphne, in a background thread of the test process, on 127.0.0.1 and a free port.

Why in-process, not a Daphne subprocess:
- The same process means the same channel layer. With no REDIS_URL it is the in-memory layer,
  which only reaches consumers of its own process; a page's post (HTTP) and the other pages'
  sockets (WebSocket) are served by this one server, so the broadcast reaches them, as in
  production. With REDIS_URL set, it goes through Redis.
- The same process sees the test database without any change to it: SQLite's in-memory test
  database (shared cache) is visible to every thread of this process, and PostgreSQL's test
  database is named in the settings every thread reads. A subprocess would need a file database
  for SQLite, so a different test database for the whole run.
- Twisted's reactor can run only once per process, so there is one server for the whole session
  (`asgi_live_server` in conftest.py), started by the first test that needs it.

All the server's database work runs in ONE thread, in order. Django normally gives each request
a thread of its own (and Channels' database calls another), but connections of SQLite's shared
in-memory database do not wait for each other's locks: a second writer, or a reader of a table
being written, fails at once with "database table is locked". A browser closing a socket (the
room's presence) while the next page is being posted would then fail now and then. One thread is
what asgiref's `ThreadSensitiveContext(executor=...)` (asgiref 3.13) gives every connection here.
asgiref advises one executor per block; sharing it is safe here because nothing run in that thread
waits for another connection's work (a view's broadcast only queues messages). The tests do their
own database work while no page is open, or through `run()`, and `wait_until_idle()` lets the
server finish (sockets closed, presence saved) before the test database is emptied.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext

STARTUP_TIMEOUT = 10


class OneDatabaseThread:
    """ASGI middleware: every connection's synchronous work (views, the consumer's database calls)
    runs in the one thread of `executor`. Counts the connections in progress."""

    def __init__(self, application, executor):
        self.application = application
        self.executor = executor
        self.in_progress = 0  # changed only in the server's event loop

    async def __call__(self, scope, receive, send):
        self.in_progress += 1
        try:
            async with ThreadSensitiveContext(executor=self.executor):
                await self.application(scope, receive, send)
        finally:
            self.in_progress -= 1


class AsgiLiveServer:
    """Daphne serving `deliberate.asgi.application` from a background thread."""

    def __init__(self):
        self.database_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="asgi-live-db")
        self.server = None
        self.thread = None
        self.url = None
        self.app = None

    def start(self):
        from daphne.server import Server

        from deliberate.asgi import application

        self.app = OneDatabaseThread(application, self.database_thread)
        self.server = Server(
            application=self.app,
            endpoints=["tcp:port=0:interface=127.0.0.1"],
            signal_handlers=False,  # not the main thread; pytest keeps Ctrl+C
            verbosity=0,
        )
        self.thread = threading.Thread(target=self.server.run, name="asgi-live-server", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not self.server.listening_addresses:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("The ASGI live server (Daphne) did not start listening")
            time.sleep(0.02)
        host, port = self.server.listening_addresses[0]
        self.url = f"http://{host}:{port}"

    def run(self, function, *args, **kwargs):
        """Run `function` in the server's database thread, after whatever it is doing, and return
        its result. For a test's own writes that publish events while the server is up."""
        return self.database_thread.submit(function, *args, **kwargs).result()

    def wait_until_idle(self, timeout=10):
        """Wait until no request or socket is being handled, then for the database thread."""
        deadline = time.monotonic() + timeout
        while self.app.in_progress:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"The ASGI live server still handles {self.app.in_progress} connection(s)"
                )
            time.sleep(0.02)
        self.run(lambda: None)

    def stop(self):
        from django.db import connections
        from twisted.internet import reactor

        if self.thread is None:
            return
        self.run(connections.close_all)  # PostgreSQL drops the test database only if unused
        reactor.callFromThread(self.server.stop)
        self.thread.join(STARTUP_TIMEOUT)
        self.database_thread.shutdown(wait=True)
        self.thread = None
