from django.core.management.base import BaseCommand

from juries.notifications import queue_due_reminders


class Command(BaseCommand):
    help = (
        "Queue the reminders now due (sittings, witnesses' questions, the vote closing), each "
        "once per person. Safe to run every few minutes; the worker sends them."
    )

    def handle(self, *args, **options):
        queued = queue_due_reminders()
        self.stdout.write(f"{queued} reminders queued.")
