"""`manage.py demo_links`: print fresh one-time sign-in links for the demo personas."""

from django.core.management.base import BaseCommand

from juries.demo_seed import DEFAULT_BASE_URL, write_sign_in_links


class Command(BaseCommand):
    help = "Print a one-time sign-in link for each demo persona (demo configuration only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=DEFAULT_BASE_URL,
            help=f"Where the site runs, to build the sign-in links (default {DEFAULT_BASE_URL}).",
        )

    def handle(self, *args, base_url, **options):
        write_sign_in_links(self.stdout, base_url=base_url)
