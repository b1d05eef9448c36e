"""Requests made at the same moment, for the suites that try races (plain functions; no tests
here)."""

import threading

from django.db import connection


def submit_together(submissions):
    """Run each submission in its own thread (own connection), all released at once."""
    barrier = threading.Barrier(len(submissions))
    errors = []

    def run(submit):
        try:
            barrier.wait(timeout=10)
            submit()
        except Exception as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(submit,)) for submit in submissions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors
