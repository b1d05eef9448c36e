from django.core.management.base import BaseCommand

from deliberate.digests import send_digests


class Command(BaseCommand):
    help = "Queue today's digest emails of new posts (run once a day; the worker sends them)."

    def handle(self, *args, **options):
        send_digests.enqueue()
        self.stdout.write("Digests queued.")
