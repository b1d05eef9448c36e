"""`manage.py delete_expired_volunteers`: the daily deletion the volunteers' privacy notice promises.

Run it once a day (cron or a scheduler), like `send_digests`. Running it again deletes nothing more."""

from django.core.management.base import BaseCommand

from juries.selection.retention import delete_expired_volunteers


class Command(BaseCommand):
    help = (
        "Delete the details of volunteers who are not on their jury's panel, once the jury's "
        "retention period after its report has passed."
    )

    def handle(self, *args, **options):
        deleted = delete_expired_volunteers()
        for slug, count in deleted.items():
            self.stdout.write(f"{slug}: deleted {count} volunteers.")
        self.stdout.write(f"{sum(deleted.values())} volunteers deleted.")
