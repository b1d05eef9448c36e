"""Benchmarks: how long the busiest foundation pages take as a jury grows. Prints its figures;
asserts nothing about time (see the README). Run with `make bench`."""

import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.juries.query_count_helpers import grow

pytestmark = pytest.mark.bench

RUNS = 20


def measure(client, url):
    client.get(url)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return statistics.median(timings), max(timings), len(captured)


@pytest.mark.parametrize("members", [12, 200, 1000])
def test_bench_dashboard_and_jury_home(client, jury, facilitator, juror, members):
    grow(jury, facilitator, members)
    rows = []
    client.force_login(facilitator)
    rows.append(
        ("dashboard (facilitator)", *measure(client, reverse("juries:dashboard", args=[jury.slug])))
    )
    client.force_login(juror)
    rows.append(("jury home (juror)", *measure(client, reverse("juries:home", args=[jury.slug]))))
    rows.append(("public page", *measure(client, reverse("juries:public", args=[jury.slug]))))
    print(f"\n{members} members, invitations and sittings ({connection.vendor}), {RUNS} runs each:")
    for name, median, worst, queries in rows:
        print(
            f"  {name:<26} median {median:7.1f} ms   worst {worst:7.1f} ms   {queries:3d} queries"
        )
