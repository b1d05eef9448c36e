"""`manage.py seed_demo`: load the demo jury and print a sign-in link for each persona.

It lives in the project package because it fills every app: people and the jury (juries), then the
system the jury reviews (evidence), then its discussions (deliberate), then a second jury whose
report is published and partly answered (voting)."""

from django.core.management.base import BaseCommand

from deliberate.demo import seed_discussions
from evaluation.demo import seed_evaluation
from evidence.demo import seed_evidence, seed_questions, seed_register
from juries.demo_seed import DEFAULT_BASE_URL, seed, write_sign_in_links
from juries.selection.demo import seed_finished_selection, seed_recruiting_jury
from voting.demo import seed_decided_jury


class Command(BaseCommand):
    help = (
        "Load the demo jury (people, timeline, sittings, invitations). Safe to run again: it adds "
        "nothing new and moves the dates so they stay around today."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=DEFAULT_BASE_URL,
            help=f"Where the site runs, to build the sign-in links (default {DEFAULT_BASE_URL}).",
        )

    def handle(self, *args, base_url, **options):
        result = seed()
        if seed_finished_selection(result.jury) is not None:
            self.stdout.write("Drew the demo jury's panel by lottery from 300 invented volunteers.")
        recruiting = seed_recruiting_jury(result.jury)
        if recruiting is not None:
            self.stdout.write(f"Created a third jury that is recruiting: “{recruiting.title}”.")
        seed_register(result.jury)
        facilitator = result.jury.memberships.facilitators().first().user
        seed_evidence(result.jury, facilitator)
        seed_questions(result.jury)
        seed_discussions(result.jury)
        finished = seed_decided_jury(result.jury)
        seed_evaluation(result.jury)
        seed_evaluation(finished)
        if finished is not None:
            self.stdout.write(f"Created a second jury that has finished: “{finished.title}”.")
        if result.created:
            self.stdout.write(self.style.SUCCESS(f"Created the demo jury “{result.jury.title}”."))
        else:
            self.stdout.write(
                f"The demo jury “{result.jury.title}” was already there; its dates are up to date."
            )
        write_sign_in_links(self.stdout, base_url=base_url)
