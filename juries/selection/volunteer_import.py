"""Volunteers imported from a council's CSV file (replies to a mail-out, collected on paper).

All or nothing: every line is checked, every problem is reported with its line number, and
nobody is imported unless every line can be. Facilitators only (MANAGE_RECRUITMENT).
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from juries import audit, text_limits
from juries.models import Answer, Category, Volunteer, VolunteerSource

from .recruitment import POOL_FIXED, _email

MAX_IMPORT_LINES = 5000
NAME_COLUMN, EMAIL_COLUMN, ACCESS_COLUMN = "name", "email", "access needs"


@dataclass
class ImportResult:
    imported: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # (line number, reason)


@dataclass
class _Columns:
    name: int
    email: int
    access: int | None
    categories: list  # (column index, category, {lower label: value})


def _header_problems(names, by_name):
    """What is wrong with the header row's column names (lower-cased), in reading order."""
    missing = [column for column in (NAME_COLUMN, EMAIL_COLUMN) if column not in names]
    problems = [
        _("The first line must name the columns; there is no “%(column)s” column.")
        % {"column": column}
        for column in missing
    ]
    problems += [
        _("There is no column for the category “%(name)s”.") % {"name": category.name}
        for key, category in by_name.items()
        if key not in names
    ]
    known = {NAME_COLUMN, EMAIL_COLUMN, ACCESS_COLUMN, *by_name}
    problems += [
        _("Unknown column “%(column)s”.") % {"column": cell}
        for cell in names
        if cell and cell not in known
    ]
    if len(set(names)) != len(names):
        problems.append(_("A column is named more than once."))
    return problems


def _read_header(header, categories):
    """Map the header row to columns; return (_Columns or None, problems)."""
    names = [cell.strip().lower() for cell in header]
    by_name = {category.name.strip().lower(): category for category in categories}
    problems = _header_problems(names, by_name)
    if problems:
        return None, problems
    columns = []
    for index, cell in enumerate(names):
        if cell in by_name:
            category = by_name[cell]
            labels = {value.label.strip().lower(): value for value in category.values.all()}
            columns.append((index, category, labels))
    access = names.index(ACCESS_COLUMN) if ACCESS_COLUMN in names else None
    return _Columns(names.index(NAME_COLUMN), names.index(EMAIL_COLUMN), access, columns), []


def _cell(row, index):
    return row[index].strip() if index is not None and index < len(row) else ""


def _read_row(row, columns, taken):
    """One volunteer's data from a row, or the reason it cannot be used."""
    name, email = _cell(row, columns.name), _cell(row, columns.email).lower()
    if not name:
        return None, _("The name is empty.")
    if len(name) > 150:
        return None, _("The name is longer than 150 characters.")
    if len(email) > 254:
        return None, _("The email address is longer than 254 characters.")
    try:
        validate_email(email)
    except ValidationError:
        return None, _("“%(email)s” is not an email address.") % {"email": email}
    if email in taken:
        return None, taken[email]
    access_needs = _cell(row, columns.access)
    too_long = text_limits.too_long(
        access_needs, text_limits.SHORT, subject=_("“%(column)s”") % {"column": ACCESS_COLUMN}
    )
    if too_long:
        return None, too_long
    pairs = []
    for index, category, labels in columns.categories:
        given = _cell(row, index)
        value = labels.get(given.lower())
        if value is None:
            return None, _("“%(given)s” is not one of the answers for “%(name)s”: %(labels)s.") % {
                "given": given,
                "name": category.name,
                "labels": ", ".join(v.label for v in labels.values()),
            }
        pairs.append((category, value))
    return (name, email, access_needs, pairs), None


def _parse(jury, csv_text):
    """Rows ready to import, and every problem found, as (line number, reason)."""
    try:
        rows = list(csv.reader(io.StringIO(csv_text)))
    except csv.Error:
        return [], [(1, _("This file could not be read as CSV."))]
    numbered = [
        (number, row) for number, row in enumerate(rows, start=1) if any(map(str.strip, row))
    ]
    if not numbered:
        return [], [(1, _("The file is empty."))]
    if len(numbered) - 1 > MAX_IMPORT_LINES:
        message = _("The file has more than %(max)s volunteers. Split it into smaller files.")
        return [], [(numbered[0][0], message % {"max": MAX_IMPORT_LINES})]
    categories = list(Category.objects.filter(jury=jury).prefetch_related("values"))
    header_number, header = numbered[0]
    columns, header_problems = _read_header(header, categories)
    if columns is None:
        return [], [(header_number, problem) for problem in header_problems]
    existing = set(
        jury.volunteers.filter(withdrawn_at__isnull=True).values_list("email", flat=True)
    )
    taken = dict.fromkeys(existing, _("This person is already registered for this jury."))
    ready, problems = [], []
    for number, row in numbered[1:]:
        data, problem = _read_row(row, columns, taken)
        if problem:
            problems.append((number, problem))
            continue
        taken[data[1]] = _("This address appears more than once in the file.")
        ready.append((number, *data))
    return ready, problems


class _LineProblem(Exception):
    pass


def import_volunteers(jury, csv_text, by, request=None):
    """Add volunteers from a council's CSV file: all of them, or none if any line has a problem.

    Facilitators only (MANAGE_RECRUITMENT), having confirmed that consent was collected with the
    privacy notice. Imported volunteers are in the pool at once and are emailed their link to
    withdraw. One audit entry gives the count.
    """
    if jury.draws.live().exists():
        return ImportResult(problems=[(1, POOL_FIXED)])
    ready, problems = _parse(jury, csv_text)
    if problems:
        return ImportResult(problems=problems)
    if not ready:
        return ImportResult(problems=[(1, _("The file has a header line but no volunteers."))])
    try:
        with transaction.atomic():
            return _import(jury, ready, by, request)
    except _LineProblem as problem:
        return ImportResult(problems=[problem.args])


def _import(jury, ready, by, request):
    """Create every volunteer and answer in a few bulk inserts, then queue their emails."""
    now = timezone.now()
    volunteers = [
        Volunteer(
            jury=jury,
            name=name,
            email=email,
            access_needs=access_needs,
            source=VolunteerSource.IMPORT,
            consented_at=now,
            confirmed_at=now,
        )
        for _number, name, email, access_needs, _pairs in ready
    ]
    try:
        with transaction.atomic():
            Volunteer.objects.bulk_create(volunteers, batch_size=500)
    except IntegrityError as error:  # someone registered one of these addresses meanwhile
        raise _LineProblem(
            1, _("Someone in the file registered meanwhile: import it again.")
        ) from error
    Answer.objects.bulk_create(
        (
            Answer(volunteer=volunteer, category=category, value=value)
            for volunteer, (*_data, pairs) in zip(volunteers, ready, strict=True)
            for category, value in pairs
        ),
        batch_size=1000,
    )
    for volunteer in volunteers:
        _email("imported", volunteer)
    result = ImportResult(imported=volunteers)
    count = len(result.imported)
    audit.record(
        actor=by,
        action="recruitment.import",
        jury=jury,
        summary=ngettext(
            "Imported %(count)s volunteer whose consent was collected on paper.",
            "Imported %(count)s volunteers whose consent was collected on paper.",
            count,
        )
        % {"count": count},
    )
    return result
