"""`manage.py verify_audit [JURY]`: walk the audit log's hash chains and name the first entry
that does not match.

Every jury's chain is checked (or only JURY's, given its slug), and the chain of the entries
without a jury. Exits non-zero when a chain is broken. See `juries.models.audit` for what each
entry's hash covers.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from juries import audit
from juries.models import AuditChain, AuditEntry, Jury


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chains: every entry's hash, its link to the entry before it, "
        "and each chain's recorded head."
    )

    def add_arguments(self, parser):
        parser.add_argument("jury", nargs="?", help="Only this jury's log (its slug).")

    def handle(self, *args, jury=None, **options):
        broken = None
        for jury_id in self._chains(jury):
            count, problem = audit.verify(jury_id)
            self.stdout.write(
                gettext("%(chain)s: %(count)s entries checked.")
                % {"chain": _chain_name(jury_id), "count": count}
            )
            if problem and broken is None:
                broken = problem
        if broken is not None:
            self.stdout.write(_describe(broken))
            raise CommandError(gettext("The audit log does not check out."))
        self.stdout.write(self.style.SUCCESS(gettext("The audit log checks out.")))

    def _chains(self, slug):
        if slug is not None:
            found = Jury.objects.filter(slug=slug).values_list("pk", flat=True).first()
            if found is None:
                raise CommandError(gettext("There is no jury %(slug)s.") % {"slug": slug})
            return [found]
        ids = set(AuditEntry.objects.values_list("jury_id", flat=True).distinct())
        ids |= {
            int(key) if key else None for key in AuditChain.objects.values_list("pk", flat=True)
        }
        return sorted(ids, key=lambda pk: (pk is not None, pk or 0))


def _chain_name(jury_id):
    if jury_id is None:
        return gettext("Entries without a jury")
    slug = Jury.objects.filter(pk=jury_id).values_list("slug", flat=True).first()
    return gettext("Jury %(slug)s") % {"slug": slug or jury_id}


def _describe(problem):
    if problem.entry_id is None:
        return gettext("%(chain)s: %(problem)s.") % {
            "chain": _chain_name(problem.jury_id),
            "problem": problem.problem,
        }
    return gettext(
        "First entry that does not match: entry %(id)s, number %(seq)s in the log of %(chain)s: "
        "%(problem)s."
    ) % {
        "id": problem.entry_id,
        "seq": problem.seq,
        "chain": _chain_name(problem.jury_id),
        "problem": problem.problem,
    }
