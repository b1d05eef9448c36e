"""Emails used to be queued rendered (address, sign-in code, body in the task's arguments): delete
those task rows. A message still waiting when this runs is not sent; it would hold a secret."""

from django.db import migrations

OLD_TASK = "juries.emails.send_email"


def forget_rendered_emails(apps, schema_editor):
    apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(
        task_path=OLD_TASK
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("juries", "0005_selection"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forget_rendered_emails, migrations.RunPython.noop)]
