"""`manage.py verify_draw BUNDLE [--sha256 HEX]`: check a published draw from its bundle alone.

Needs no database: everything checked is in the bundle (see `juries.selection.bundle`).
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from juries.selection.bundle import sha256_of, verify


def _field(data, *keys):
    """`data[keys[0]][keys[1]]...`, or None when the bundle does not have it."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _names(value):
    return ", ".join(str(name) for name in value) if isinstance(value, list) else "-"


def _translated(problem):
    if hasattr(problem, "template"):
        return gettext(problem.template).format(**problem.params)
    return str(problem)


class Command(BaseCommand):
    help = (
        "Check a published draw bundle: the commitment's hash, that every panel meets the quotas, "
        "and that the seed draws the recorded panel and reserves."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("bundle", help='The bundle\'s JSON file, or "-" to read it from stdin.')
        parser.add_argument(
            "--sha256",
            help="The commitment hash published before the seed was entered, to compare with.",
        )

    def handle(self, *args, bundle, sha256=None, **options):
        data = self._read(bundle)
        result = verify(data, expect_sha256=sha256)
        self._describe(data, result)
        if result.ok:
            self.stdout.write(self.style.SUCCESS(gettext("The draw checks out.")))
            if sha256 is None:
                # A bundle rewritten with a fresh hash is consistent with itself; only the hash
                # published before the seed shows that the lottery is the one committed to.
                self.stdout.write(
                    gettext(
                        "Compare its SHA-256 with the one published before the seed, or run "
                        "this again with --sha256 and that value."
                    )
                )
            return
        self.stdout.write(gettext("Problems found:"))
        for problem in result.problems:
            self.stdout.write(f"- {_translated(problem)}")
        raise CommandError(gettext("The draw does not check out."))

    def _read(self, path):
        try:
            if path == "-":
                return json.loads(sys.stdin.read())
            with open(path, encoding="utf-8") as source:
                return json.load(source)
        except FileNotFoundError:
            raise CommandError(gettext("There is no file at %(path)s.") % {"path": path}) from None
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise CommandError(
                gettext("The bundle could not be read as JSON: %(error)s") % {"error": error}
            ) from None

    def _describe(self, data, result):
        try:
            sha = sha256_of(_field(data, "commitment"))
        except (TypeError, ValueError):
            sha = "-"
        seed = _field(data, "seed") or {}
        lines = [
            (gettext("Commitment SHA-256"), sha),
            (gettext("Algorithm"), _field(data, "commitment", "algorithm")),
            (gettext("Seed"), _field(seed, "value")),
            (gettext("Seed source"), _field(seed, "source")),
            (gettext("Seed entered at"), _field(seed, "entered_at")),
            (gettext("Panel"), _names(_field(data, "result", "panel"))),
            (gettext("Reserves, in order"), _names(_field(data, "result", "reserves"))),
        ]
        if result.outcome and result.outcome.panel != _field(data, "result", "panel"):
            lines.append((gettext("Panel the seed draws"), _names(result.outcome.panel)))
        for label, value in lines:
            self.stdout.write(f"{label}: {value if value is not None else '-'}")
