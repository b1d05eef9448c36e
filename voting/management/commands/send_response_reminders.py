"""`manage.py send_response_reminders`: queue the response-deadline reminders due today.

Run it once a day (cron or a scheduler), like `send_digests`. Running it again the same day, or
every hour, queues nothing twice: each reminder is recorded once per jury."""

from django.core.management.base import BaseCommand

from voting.reminders import queue_due_reminders


class Command(BaseCommand):
    help = (
        "Queue reminders to oversight bodies whose response deadline is a week away, a day away "
        "or past (each once per jury; the worker sends the emails)."
    )

    def handle(self, *args, **options):
        queued = queue_due_reminders()
        for item in queued:
            self.stdout.write(
                f"{item.jury.slug}: {item.kind} reminder queued to {item.recipients} people."
            )
        self.stdout.write(f"{len(queued)} reminders queued.")
