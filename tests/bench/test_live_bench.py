"""Benchmark: live fan-out in one jury room, with real daphne processes, a real Redis and real
WebSocket clients. Prints a table and writes JSON; asserts nothing about time. `make bench`.

For each number of clients N, posts are made over HTTP at a fixed rate for a fixed window, and
every client should receive every post. Measured: fan-out latency (broadcast time in the frame
header to receipt by each client), the share of events delivered, the servers' CPU time and CPU
per delivered event (also with the cost of handling the posts themselves, measured with no
clients, taken out), the servers' memory. Once with one server process, once with two sharing
Redis (clients split evenly). At most POSTERS_IN_FLIGHT posts are in flight at once: when the
servers cannot keep up, the post rate falls below the target, and the post/s column shows what
they sustained.

The clients run in separate processes, but on the same machine: on a 2-core machine servers,
Redis, clients and the poster all share the two cores, so the figures are indicative only.
CPU per delivered event is the figure that transfers between machines.
"""

import json
import os
import platform
import select
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.live_servers import ROOT, LiveStack, die_with_parent, missing_binaries, proc_cpu_seconds

pytestmark = pytest.mark.bench

# LIVE_BENCH_SIZES=50,200 LIVE_BENCH_WINDOW=5 make a quicker run.
SIZES = [int(n) for n in os.environ.get("LIVE_BENCH_SIZES", "50,200,500,1000").split(",")]
PROCESSES = [1, 2]
RATE = 10  # posts per second
WINDOW = float(os.environ.get("LIVE_BENCH_WINDOW", "12"))  # seconds of posting for each N
BASELINE_WINDOW = 6  # seconds of posting with no client connected
DRAIN = 10  # at most this long after the last post for the last deliveries
CLIENT_PROCESSES = 2
POSTERS = 10  # jurors taking turns to post
POSTERS_IN_FLIGHT = 16
RESULTS = Path(
    os.environ.get("LIVE_BENCH_JSON")
    or Path(tempfile.gettempdir()) / "deliberate-bench" / "live_room.json"
)


class Clients:
    """One load-generator process (`python -m tests.live_servers clients`)."""

    def __init__(self, targets, log):
        with open(log, "ab") as errors:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.live_servers", "clients"],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
                preexec_fn=die_with_parent,
            )
        self.send(json.dumps(targets))

    def send(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def read(self, timeout=180):
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            raise RuntimeError(f"client process gave no answer (exit code {self.proc.poll()})")
        return json.loads(line)

    def ask(self, line):
        self.send(line)
        return self.read()

    def cpu(self):
        return proc_cpu_seconds(self.proc.pid)

    def finish(self):
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def percentile(ordered, share):
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else None


def post_at_rate(stack, servers, *, seconds, label):
    """Posts at RATE per second, through the servers in turn. Returns [(status, ms)]."""

    def one(number):
        started = time.perf_counter()
        status, _ = stack.post(
            f"{label} post {number}", server=number % servers, juror=number % POSTERS
        )
        return status, (time.perf_counter() - started) * 1000

    with ThreadPoolExecutor(max_workers=POSTERS_IN_FLIGHT) as pool:
        start = time.monotonic()
        futures = []
        for number in range(int(RATE * seconds)):
            delay = start + number / RATE - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(one, number))
        return [future.result() for future in futures]


def restart(stack, servers):
    for server in stack.servers:
        server.stop()
    for server in stack.servers[:servers]:
        server.start(wait=False)
    for server in stack.servers[:servers]:
        server.wait_ready()
    for number in range(2 * servers):  # warm up: imports, templates, connections
        stack.post(f"Warm-up {number}", server=number % servers)


def cpu_of(processes):
    return sum(process.cpu_seconds() for process in processes)


def posting_cost(stack, servers):
    """Server CPU seconds per post handled, with no client connected."""
    restart(stack, servers)
    running = stack.servers[:servers]
    before = cpu_of(running)
    posts = post_at_rate(stack, servers, seconds=BASELINE_WINDOW, label="Baseline")
    time.sleep(0.5)
    return (cpu_of(running) - before) / len(posts)


def connect_clients(stack, size, servers):
    targets = [
        {
            "url": stack.ws_url(number % servers),
            "origin": stack.servers[number % servers].origin,
            "cookie": stack.cookie(number),
        }
        for number in range(size)
    ]
    groups = [targets[i::CLIENT_PROCESSES] for i in range(CLIENT_PROCESSES)]
    clients = [Clients(group, stack.work / "clients.log") for group in groups if group]
    hellos = [client.read() for client in clients]
    return clients, {
        "connected": sum(h["connected"] for h in hellos),
        "failed": sum(h["failed"] for h in hellos),
        "errors": [e for h in hellos for e in h["errors"]],
        "seconds": max(h["seconds"] for h in hellos),
    }


def drain(clients, low, high, expected, last_post):
    """Wait until every expected delivery arrived, or DRAIN seconds after the last post."""
    while time.monotonic() < last_post + DRAIN:
        if sum(c.ask(f"report {low} {high}")["received"] for c in clients) >= expected:
            return
        time.sleep(0.25)


def run_size(stack, size, servers, cost_per_post):
    restart(stack, servers)
    running = stack.servers[:servers]
    rss_idle = [server.rss_bytes() for server in running]
    clients, connection = connect_clients(stack, size, servers)
    time.sleep(1)
    rss_connected = [server.rss_bytes() for server in running]
    low = stack.state()["last_seq"]

    started = time.monotonic()
    cpu_before = cpu_of(running)
    redis_before = stack.redis.cpu_seconds()
    clients_before = sum(c.cpu() for c in clients)
    posts = post_at_rate(stack, servers, seconds=WINDOW, label=f"N={size}")
    last_post = time.monotonic()
    made = sum(1 for status, _ in posts if status == 302)
    high = low + made
    drain(clients, low, high, made * connection["connected"], last_post)
    elapsed = time.monotonic() - started
    server_cpu = cpu_of(running) - cpu_before
    redis_cpu = stack.redis.cpu_seconds() - redis_before
    clients_cpu = sum(c.cpu() for c in clients) - clients_before
    rss_after = [server.rss_bytes() for server in running]

    figures = [client.ask(f"stop {low} {high}") for client in clients]
    for client in clients:
        client.finish()
    assert stack.state()["last_seq"] == high, "every accepted post is one event"

    latencies = sorted(ms for f in figures for ms in f["latencies"])
    delivered = len(latencies)
    expected = made * size
    post_ms = sorted(ms for _, ms in posts)
    fan_out_cpu = server_cpu - cost_per_post * made
    return {
        "processes": servers,
        "clients": size,
        "connected": connection["connected"],
        "connect_failed": connection["failed"],
        "connect_errors": connection["errors"],
        "connect_seconds": connection["seconds"],
        "posts_sent": len(posts),
        "posts_ok": made,
        "post_rate": round(len(posts) / (last_post - started), 2),
        "post_ms_p50": round(percentile(post_ms, 0.5), 1),
        "post_ms_p99": round(percentile(post_ms, 0.99), 1),
        "expected": expected,
        "delivered": delivered,
        "delivered_share": round(delivered / expected, 4) if expected else None,
        "duplicates": sum(f["duplicates"] for f in figures),
        "closed_early": connection["connected"] - sum(f["open"] for f in figures),
        "latency_ms_p50": percentile(latencies, 0.5),
        "latency_ms_p99": percentile(latencies, 0.99),
        "latency_ms_max": latencies[-1] if latencies else None,
        "seconds": round(elapsed, 2),
        "server_cpu_s": round(server_cpu, 2),
        "server_cpu_share": round(server_cpu / elapsed, 3),
        "us_per_delivery": round(server_cpu / delivered * 1e6, 1) if delivered else None,
        "us_per_delivery_fan_out": round(fan_out_cpu / delivered * 1e6, 1) if delivered else None,
        "redis_cpu_share": round(redis_cpu / elapsed, 3),
        "clients_cpu_share": round(clients_cpu / elapsed, 3),
        "rss_mb_idle": [round(rss / 2**20, 1) for rss in rss_idle],
        "rss_mb_connected": [round(rss / 2**20, 1) for rss in rss_connected],
        "rss_mb_after": [round(rss / 2**20, 1) for rss in rss_after],
        "kb_per_connection": round(
            (sum(rss_connected) - sum(rss_idle)) / 1024 / max(1, connection["connected"]), 1
        ),
    }


COLUMNS = [
    ("procs", "processes", "{}"),
    ("N", "clients", "{}"),
    ("conn s", "connect_seconds", "{:.1f}"),
    ("posts", "posts_ok", "{}"),
    ("post/s", "post_rate", "{:.1f}"),
    ("post p50/p99 ms", ("post_ms_p50", "post_ms_p99"), "{:.0f}/{:.0f}"),
    ("delivered", "delivered_share", "{:.1%}"),
    ("p50 ms", "latency_ms_p50", "{:.0f}"),
    ("p99 ms", "latency_ms_p99", "{:.0f}"),
    ("max ms", "latency_ms_max", "{:.0f}"),
    ("srv CPU", "server_cpu_share", "{:.0%}"),
    ("µs/deliv", "us_per_delivery", "{:.0f}"),
    ("µs fan-out", "us_per_delivery_fan_out", "{:.0f}"),
    ("redis", "redis_cpu_share", "{:.0%}"),
    ("clients", "clients_cpu_share", "{:.0%}"),
    ("RSS MB", "rss_mb_after", "{}"),
    ("KB/conn", "kb_per_connection", "{:.0f}"),
    ("closed", "closed_early", "{}"),
]


def cell(row, key, style):
    values = [row[k] for k in key] if isinstance(key, tuple) else [row[key]]
    if any(value is None for value in values):
        return "-"
    if key == "rss_mb_after":
        return "+".join(f"{value:.0f}" for value in values[0])
    return style.format(*values)


def table(rows):
    lines = [[title for title, _, _ in COLUMNS]]
    lines += [[cell(row, key, style) for _, key, style in COLUMNS] for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(v.rjust(w) for v, w in zip(line, widths, strict=True)) for line in lines
    )


def keep_logs(stack):
    """The servers' and clients' logs, next to the JSON (the stack's own folder goes)."""
    folder = RESULTS.parent / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    for log in stack.work.glob("*.log"):
        shutil.copy(log, folder / log.name)


def test_bench_live_room_fan_out():
    reason = missing_binaries()
    if reason:
        pytest.skip(f"needs real server processes: {reason}")
    rows, baselines = [], {}
    with LiveStack(servers=max(PROCESSES), jurors=max(SIZES), log_level="WARNING") as stack:
        for servers in PROCESSES:
            baselines[servers] = posting_cost(stack, servers)
            for size in SIZES:
                rows.append(run_size(stack, size, servers, baselines[servers]))
                print(f"\n  done: {servers} process(es), {size} clients", flush=True)
        vendor = "postgresql" if stack.database.pg_name else "sqlite"
        keep_logs(stack)
    report = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "database": vendor,
        "channel_layer": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "rate_per_second": RATE,
        "window_seconds": WINDOW,
        "client_processes": CLIENT_PROCESSES,
        "server_cpu_per_post_ms": {k: round(v * 1000, 2) for k, v in baselines.items()},
        "runs": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2))
    print(
        f"\nLive fan-out in one jury room: {RATE} posts/s over HTTP for {WINDOW} s per row, "
        f"daphne + Redis pub/sub, {vendor}, {os.cpu_count()} cores shared by servers, Redis, "
        f"{CLIENT_PROCESSES} client processes and the poster (indicative figures)."
    )
    print(
        "Server CPU per post with no client connected: "
        + ", ".join(f"{k} process(es) {v * 1000:.1f} ms" for k, v in baselines.items())
        + "; 'µs fan-out' takes that out of 'µs/deliv' (unreliable for small N, where posting "
        "dominates)."
    )
    print(
        "Latency: broadcast time in the frame header to receipt. Delivered: frames received "
        f"within {DRAIN} s of the last post / (posts x clients). CPU shares are of one core. "
        "Closed: connections that ended before the row did."
    )
    print(table(rows))
    print(f"JSON: {RESULTS}")
