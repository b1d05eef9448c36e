"""A draw queued before the lottery moved to juries/selection/ still runs after the upgrade: the
migration points its queued task at the new path, where the worker can load it."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from juries.selection.draws import compute_draw

moved = importlib.import_module("juries.migrations.0009_i13_draw_task_moved")


@pytest.mark.django_db
def test_a_draw_queued_before_the_move_loads_in_the_worker_after_it():
    queued = DBTaskResult.objects.create(
        task_path="juries.draws.compute_draw",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
    )
    other = DBTaskResult.objects.create(
        task_path="juries.emails.deliver",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
    )

    moved.forwards(apps, None)

    queued.refresh_from_db()
    other.refresh_from_db()
    # What the worker does with the row: load the task from its path.
    assert import_string(queued.task_path) is compute_draw
    assert other.task_path == "juries.emails.deliver"
