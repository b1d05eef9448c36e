"""Tampering as an insider and checking the chain, for the audit and report-chain suites (no tests
here)."""

import contextlib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the triggers that refuse UPDATE and DELETE exist on PostgreSQL only",
)


@contextlib.contextmanager
def insider():
    """Raw SQL as a database superuser would run it: on PostgreSQL, with the refusing triggers
    switched off (replication mode fires no ordinary trigger)."""
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute("SET session_replication_role = replica")
        try:
            yield cursor
        finally:
            if postgresql:
                cursor.execute("SET session_replication_role = origin")


def verify_audit(*args):
    """Run the command: (output, whether it exited with an error)."""
    out = []

    class Out:
        def write(self, text):
            out.append(text)

        def flush(self):
            pass

    try:
        call_command("verify_audit", *args, stdout=Out())
    except CommandError as error:
        return "".join(out) + str(error), True
    return "".join(out), False
