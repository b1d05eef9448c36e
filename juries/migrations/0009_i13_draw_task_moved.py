"""The draw's background task moved with the rest of the lottery, from juries.draws to
juries.selection.draws. The queue stores each task by its dotted path, so a draw queued before the
move would no longer load in the worker: point queued (and past) rows at the new path."""

from django.db import migrations

OLD = "juries.draws.compute_draw"
NEW = "juries.selection.draws.compute_draw"


def forwards(apps, schema_editor):
    apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(task_path=OLD).update(
        task_path=NEW
    )


def backwards(apps, schema_editor):
    apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(task_path=NEW).update(
        task_path=OLD
    )


class Migration(migrations.Migration):
    dependencies = [
        ("juries", "0008_i12_text_limits"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
