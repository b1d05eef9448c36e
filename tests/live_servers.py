"""Real server processes, for tests that need more than one: a throwaway database, a private
redis-server and daphne processes, all torn down afterwards.

Used by tests/deliberate/test_multi_process.py, tests/bench/test_live_bench.py and
tests/juries/test_proxy_limits.py. It never
touches the shared Redis on port 6379 nor the project's db.sqlite3: each stack gets a temporary
SQLite file or, when DATABASE_URL points to PostgreSQL, a uniquely named database on that server,
dropped afterwards; and a redis-server of its own on a free port.

Run as `python -m tests.live_servers COMMAND` (in a subprocess, with a stack's environment) this
module is also the Django side of the harness (`seed`, `state`) and the WebSocket load generator
used by the benchmark (`clients`).

Processes are started with PR_SET_PDEATHSIG so that they die with the test run even if it is
killed. That signal follows the *thread* that started them: start and restart servers from the
main thread, not from `asyncio.to_thread()` or a pool.
"""

import asyncio
import contextlib
import ctypes
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET_KEY = "live-servers-test-only-secret-key"
SHARED_REDIS_PORT = 6379


def daphne_binary():
    path = BIN / "daphne"
    return str(path) if path.exists() else shutil.which("daphne")


def redis_binary():
    return shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )


def missing_binaries():
    """Why real servers cannot be started here, or None."""
    if redis_binary() is None:
        return "redis-server is not installed"
    if daphne_binary() is None:
        return "daphne is not installed in the virtualenv"
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def die_with_parent():  # runs in the child between fork and exec
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def wait_until(check, *, timeout, what, proc=None, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}\n{tail(log)}")
        if check():
            return
        time.sleep(0.05)
    raise TimeoutError(f"{what} did not answer within {timeout} s\n{tail(log)}")


def tail(path, lines=40):
    if path is None or not Path(path).exists():
        return ""
    return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])


def proc_cpu_seconds(pid):
    """User + system CPU time of a process (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_rss_bytes(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class Process:
    """A server subprocess with its output in a log file."""

    name = "process"

    def __init__(self, log):
        self.log = Path(log)
        self.proc = None

    def command(self):
        raise NotImplementedError

    def ready(self):
        raise NotImplementedError

    def spawn(self, env=None):
        assert not self.running, f"{self.name} is already running"
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent,
            )

    def wait_ready(self, timeout=30):
        wait_until(self.ready, timeout=timeout, what=self.name, proc=self.proc, log=self.log)

    @property
    def running(self):
        return self.proc is not None and self.proc.poll() is None

    @property
    def pid(self):
        return self.proc.pid

    def kill(self):
        """SIGKILL: the process gets no chance to clean up."""
        if self.running:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self):
        if self.running:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def cpu_seconds(self):
        return proc_cpu_seconds(self.pid)

    def rss_bytes(self):
        return proc_rss_bytes(self.pid)


class RedisServer(Process):
    name = "redis-server"

    def __init__(self, log, port=None):
        super().__init__(log)
        self.port = port or free_port()
        assert self.port != SHARED_REDIS_PORT, "never touch the shared Redis"

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self):
        return [
            redis_binary(),
            *("--port", str(self.port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--daemonize", "no"),
            *("--maxclients", "10000"),
        ]

    def start(self):
        self.spawn()
        self.wait_ready(10)

    def ready(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class DaphneServer(Process):
    def __init__(self, log, name, env, port=None, options=()):
        super().__init__(log)
        self.name = name
        self.env = env
        self.port = port or free_port()
        self.options = tuple(options)  # more daphne flags, such as --proxy-headers

    def command(self):
        return [
            daphne_binary(),
            *("-b", "127.0.0.1", "-p", str(self.port)),
            *self.options,
            "deliberate.asgi:application",
        ]

    def start(self, wait=True):
        self.spawn(self.env)
        if wait:
            self.wait_ready()

    def ready(self):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            connection.request("GET", "/favicon.ico")
            connection.getresponse().read()
            connection.close()
            return True
        except OSError:
            return False

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.port}"

    def ws_url(self, slug, after=None):
        query = "" if after is None else f"?after={after}"
        return f"ws://127.0.0.1:{self.port}/ws/juries/{slug}/{query}"


class Database:
    """A temporary SQLite file, or a uniquely named PostgreSQL database when DATABASE_URL
    points to PostgreSQL (on that same server)."""

    def __init__(self, work_dir):
        base = os.environ.get("DATABASE_URL", "")
        self.pg_name = None
        if base.startswith(("postgres://", "postgresql://")):
            self.pg_name = f"deliberate_live_{os.getpid()}_{secrets.token_hex(3)}"
            self.admin = urlunsplit(urlsplit(base)._replace(path="/postgres"))
            self.url = urlunsplit(urlsplit(base)._replace(path=f"/{self.pg_name}"))
        else:
            self.url = f"sqlite:///{Path(work_dir) / 'db.sqlite3'}"

    def _admin(self, sql):
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as connection:
            connection.execute(sql)

    def create(self):
        if self.pg_name:
            self._admin(f'CREATE DATABASE "{self.pg_name}"')

    def drop(self):
        if self.pg_name:
            self._admin(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


def server_env(database_url, redis_url):
    """The environment of every process of a stack: its own database and Redis, nothing
    inherited that could point elsewhere."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "DELIBERATE_DEMO", "PYTEST_ADDOPTS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="deliberate.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        STATIC_MANIFEST="0",
        TASKS_IMMEDIATE="1",
        REQUIRE_MFA_FOR_FACILITATORS="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        CACHE_KEY_PREFIX=f"live-{secrets.token_hex(3)}",
        PYTHONUNBUFFERED="1",
    )
    env.setdefault("LOG_LEVEL", "INFO")
    return env


class LiveStack:
    """A database, a redis-server and `servers` daphne processes; a jury in deliberation with a
    facilitator, `jurors` signed-in jurors and one thread. Use as a context manager."""

    def __init__(self, *, servers=2, jurors=3, log_level=None):
        self.work = Path(tempfile.mkdtemp(prefix="deliberate-live-"))
        self.database = Database(self.work)
        self.redis = RedisServer(self.work / "redis.log")
        self.env = server_env(self.database.url, self.redis.url)
        if log_level:
            self.env["LOG_LEVEL"] = log_level
        self.servers = [
            DaphneServer(self.work / f"daphne-{i}.log", f"daphne {i}", self.env)
            for i in range(servers)
        ]
        self.jurors = jurors
        self.csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.seed = None

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self):
        self.database.create()
        self.django("migrate", manage=True)
        self.redis.start()
        self.seed = self.django("seed", str(self.jurors))
        for server in self.servers:
            server.start(wait=False)
        for server in self.servers:
            server.wait_ready()

    def close(self):
        for server in self.servers:
            server.stop()
        self.redis.stop()
        try:
            self.database.drop()
        finally:
            shutil.rmtree(self.work, ignore_errors=True)

    def ensure_running(self):
        """Bring back whatever an earlier test stopped."""
        if not self.redis.running:
            self.redis.start()
        stopped = [server for server in self.servers if not server.running]
        for server in stopped:
            server.start(wait=False)
        for server in stopped:
            server.wait_ready()

    def logs(self):
        parts = [(self.redis.name, self.redis.log)] + [(s.name, s.log) for s in self.servers]
        return "\n".join(f"--- {name} ---\n{tail(log)}" for name, log in parts)

    # --- Django side --------------------------------------------------------------------

    def django(self, *args, manage=False):
        """Run a command of this module (or manage.py) in a subprocess with the stack's
        environment; returns the JSON it prints last."""
        command = ["manage.py", *args, "--no-input"] if manage else ["-m", __name__, *args]
        done = subprocess.run(
            [sys.executable, *command],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        if manage:
            return None
        return json.loads(done.stdout.strip().splitlines()[-1])

    def state(self):
        """{"last_seq": the jury's latest event number, "posts": the thread's post bodies}."""
        return self.django("state", self.seed["slug"], str(self.seed["thread"]))

    # --- Clients ------------------------------------------------------------------------

    @property
    def slug(self):
        return self.seed["slug"]

    def cookie(self, juror=0):
        session = self.seed["jurors"][juror % len(self.seed["jurors"])]["session"]
        return f"{self.seed['session_cookie']}={session}; {self.seed['csrf_cookie']}={self.csrf}"

    def post(self, body, *, server=0, juror=0, timeout=60):
        """Post in the thread over HTTP, like the form does. Returns (status, Location)."""
        path = f"/juries/{self.slug}/discussions/{self.seed['thread']}/post/"
        return self.submit(path, {"body": body}, server=server, juror=juror, timeout=timeout)

    def sign_out(self, *, server=0, juror=0):
        """Sign the juror out with the sign-out button. Returns (status, Location)."""
        return self.submit("/accounts/logout/", {}, server=server, juror=juror)

    def submit(self, path, data, *, server=0, juror=0, timeout=60):
        """Send a form over HTTP as the juror's browser would. Returns (status, Location)."""
        target = self.servers[server]
        connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=timeout)
        try:
            connection.request(
                "POST",
                path,
                urlencode({**data, "csrfmiddlewaretoken": self.csrf}),
                headers={
                    "Cookie": self.cookie(juror),
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            response = connection.getresponse()
            response.read()
            return response.status, response.getheader("Location")
        finally:
            connection.close()

    def ws_url(self, server=0, after=None):
        return self.servers[server].ws_url(self.slug, after)

    def ws_options(self, server=0, juror=0):
        """Keyword arguments for `websockets.asyncio.client.connect()`."""
        return {
            "origin": self.servers[server].origin,
            "additional_headers": {"Cookie": self.cookie(juror)},
            "compression": None,
            "open_timeout": 30,
        }


def seq_and_time(frame):
    """(event number, broadcast time) from a frame's `<!--ev SEQ TIME-->` header, or None."""
    if not frame.startswith("<!--ev "):
        return None
    seq, sent_at = frame[7:64].split("-->", 1)[0].split()
    return int(seq), float(sent_at)


# --- Run as a module: the Django side -----------------------------------------------------


def _setup_django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(jurors):
    """A jury in deliberation, a facilitator, `jurors` jurors with sessions, one thread."""
    _setup_django()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from deliberate.threads import start_thread
    from juries.models import Jury, Membership, OversightBody, Role, Stage, User

    with transaction.atomic():
        body = OversightBody.objects.create(name="Live Test Board")
        jury = Jury.objects.create(
            slug="live-room",
            title="Live room",
            remit="Should the council use fraud-risk scores?",
            remit_summary="Should a computer help decide whose claim is checked?",
            commissioning_organisation="Department for Benefits",
            oversight_body=body,
            stage=Stage.DELIBERATION,
        )
        facilitator = User.objects.create_user(email="fran@live.test", display_name="Fran")
        Membership.objects.create(jury=jury, user=facilitator, role=Role.FACILITATOR)
        people = []
        for number in range(int(jurors)):
            user = User.objects.create_user(
                email=f"juror{number}@live.test", display_name=f"Juror {number}"
            )
            Membership.objects.create(jury=jury, user=user, role=Role.JUROR)
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            people.append({"id": user.pk, "session": session.session_key})
    thread = start_thread(jury=jury, title="Live thread", body="Let us begin.", by=facilitator)
    jury.refresh_from_db()
    return {
        "slug": jury.slug,
        "thread": thread.pk,
        "last_seq": jury.last_event_seq,
        "jurors": people,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }


def recruiting():
    """A public jury whose recruitment is open (one question, one statement to confirm) and a
    juror with a verified address, for tests of the public registration form."""
    _setup_django()
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.db import transaction

    from juries.models import (
        Category,
        CategoryValue,
        Jury,
        Membership,
        OversightBody,
        Recruitment,
        RecruitmentState,
        Role,
        Stage,
        User,
        Visibility,
    )

    with transaction.atomic():
        body = OversightBody.objects.create(name="Recruiting Board")
        jury = Jury.objects.create(
            slug="recruiting",
            title="Recruiting",
            remit="Should the council use fraud-risk scores?",
            remit_summary="Should a computer help decide whose claim is checked?",
            commissioning_organisation="Department for Benefits",
            oversight_body=body,
            stage=Stage.SELECTION,
            visibility=Visibility.PUBLIC,
        )
        Recruitment.objects.create(
            jury=jury, state=RecruitmentState.OPEN, eligibility="I live in the borough"
        )
        area = Category.objects.create(
            jury=jury, name="Area", question="Where do you live?", position=1
        )
        north = CategoryValue.objects.create(category=area, label="North", position=0)
        juror = User.objects.create_user(email="juror@live.test", display_name="Juror")
        EmailAddress.objects.create(user=juror, email=juror.email, verified=True, primary=True)
        Membership.objects.create(jury=jury, user=juror, role=Role.JUROR)
    return {
        "slug": jury.slug,
        "answers": {f"category_{area.pk}": str(north.pk), "statement_0": "on"},
        "juror": juror.email,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }


def state(slug, thread_id):
    _setup_django()
    from deliberate.models import Post
    from juries.models import Jury

    jury = Jury.objects.get(slug=slug)
    posts = Post.objects.filter(thread_id=int(thread_id)).order_by("pk")
    return {"last_seq": jury.last_event_seq, "posts": list(posts.values_list("body", flat=True))}


# --- Run as a module: the WebSocket load generator ----------------------------------------


class _Connection:
    __slots__ = ("count", "duplicates", "last_seq", "ws")

    def __init__(self, ws):
        self.ws = ws
        self.count = 0
        self.duplicates = 0
        self.last_seq = 0


class LoadClients:
    """Many WebSocket clients in one process. Reads a JSON list of {"url", "origin", "cookie"}
    on stdin, connects them all, prints {"connected": ...}; then answers `report LO HI` with the
    number of frames numbered LO < seq <= HI received so far and `stop LO HI` with the final
    figures for that range."""

    def __init__(self, targets):
        self.targets = targets
        self.connections = []
        self.received = []  # (seq, latency in ms), every frame, in arrival order

    async def open_one(self, target, limit):
        from websockets.asyncio.client import connect
        from websockets.exceptions import InvalidHandshake

        async with limit:
            for attempt in range(5):
                try:
                    ws = await connect(
                        target["url"],
                        origin=target["origin"],
                        additional_headers={"Cookie": target["cookie"]},
                        compression=None,
                        open_timeout=60,
                        max_queue=None,
                    )
                except (OSError, TimeoutError, InvalidHandshake) as error:
                    if attempt == 4:
                        return repr(error)
                    await asyncio.sleep(0.2 * (attempt + 1))
                else:
                    self.connections.append(_Connection(ws))
                    return None

    async def read(self, connection):
        received = self.received
        with contextlib.suppress(Exception):
            async for frame in connection.ws:
                now = time.time()
                head = seq_and_time(frame)
                if head is None:
                    continue
                seq, sent_at = head
                if seq <= connection.last_seq:
                    connection.duplicates += 1
                    continue
                connection.last_seq = seq
                connection.count += 1
                received.append((seq, (now - sent_at) * 1000))

    def figures(self, low, high):
        latencies = [ms for seq, ms in self.received if low < seq <= high]
        usage = os.times()
        return {
            "received": len(latencies),
            "latencies": [round(ms, 2) for ms in latencies],
            "duplicates": sum(c.duplicates for c in self.connections),
            "open": sum(1 for c in self.connections if c.ws.close_code is None),
            "cpu": usage.user + usage.system,
        }

    async def run(self):
        limit = asyncio.Semaphore(100)
        started = time.monotonic()
        errors = await asyncio.gather(*(self.open_one(t, limit) for t in self.targets))
        failed = [error for error in errors if error]
        readers = [asyncio.ensure_future(self.read(c)) for c in self.connections]
        _say(
            connected=len(self.connections),
            failed=len(failed),
            errors=failed[:3],
            seconds=round(time.monotonic() - started, 2),
        )
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            command, low, high = line.split() or ["stop", "0", "0"]  # end of input: stop
            low, high = int(low), int(high)
            if command == "report":
                _say(received=sum(1 for seq, _ in self.received if low < seq <= high))
                continue
            figures = self.figures(low, high)
            for task in readers:
                task.cancel()
            for connection in self.connections:
                connection.ws.transport.abort()
            _say(**figures)
            return


def _say(**message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main(argv):
    command, *args = argv
    if command == "seed":
        _say(**seed(*args))
    elif command == "recruiting":
        _say(**recruiting())
    elif command == "state":
        _say(**state(*args))
    elif command == "clients":
        asyncio.run(LoadClients(json.loads(sys.stdin.readline())).run())
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
