"""Recruiting volunteers for a jury's lottery: the form people register on, confirming and
withdrawing by emailed link, and the facilitators' settings and CSV import.

Contact details never reach the audit log or events: entries name a volunteer by pseudonym, or
give a count. Every function that changes something owns its transaction.
"""

import csv
import io
from dataclasses import dataclass, field

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import audit, emails
from .models import (
    Answer,
    Category,
    Recruitment,
    RecruitmentState,
    Volunteer,
    VolunteerSource,
)

MAX_IMPORT_LINES = 5000
RATE_WINDOW_SECONDS = 60 * 60
NAME_COLUMN, EMAIL_COLUMN, ACCESS_COLUMN = "name", "email", "access needs"


class RecruitmentError(ValueError):
    """Something a person asked for cannot be done; the message says why in plain words."""


class RegistrationsLimited(RecruitmentError):
    pass


def recruitment_for(jury):
    recruitment, _created = Recruitment.objects.get_or_create(jury=jury)
    return recruitment


def _locked_recruitment(jury):
    recruitment_for(jury)
    return Recruitment.objects.select_for_update().get(jury=jury)


# --- facilitators' settings -------------------------------------------------------------------


def open_recruitment(jury, by):
    """Open the registration form. Facilitators only (MANAGE_RECRUITMENT); idempotent."""
    with transaction.atomic():
        recruitment = _locked_recruitment(jury)
        if recruitment.is_open:
            return recruitment
        recruitment.state = RecruitmentState.OPEN
        recruitment.opened_at = timezone.now()
        recruitment.save(update_fields=["state", "opened_at"])
        audit.record(
            actor=by,
            action="recruitment.open",
            jury=jury,
            target=recruitment,
            summary=_("Opened registration of interest for the lottery."),
        )
    return recruitment


def close_recruitment(jury, by):
    """Close the registration form. Facilitators only (MANAGE_RECRUITMENT); idempotent."""
    with transaction.atomic():
        recruitment = _locked_recruitment(jury)
        if recruitment.state == RecruitmentState.CLOSED:
            return recruitment
        recruitment.state = RecruitmentState.CLOSED
        recruitment.closed_at = timezone.now()
        recruitment.save(update_fields=["state", "closed_at"])
        audit.record(
            actor=by,
            action="recruitment.close",
            jury=jury,
            target=recruitment,
            summary=_("Closed registration of interest for the lottery."),
        )
    return recruitment


def update_recruitment(jury, by, panel_size, eligibility, retention_days):
    """Change the panel size, the eligibility statements and how long details are kept."""
    with transaction.atomic():
        recruitment = _locked_recruitment(jury)
        recruitment.panel_size = panel_size
        recruitment.eligibility = eligibility.strip()
        recruitment.retention_days = retention_days
        recruitment.save(update_fields=["panel_size", "eligibility", "retention_days"])
        audit.record(
            actor=by,
            action="recruitment.update",
            jury=jury,
            target=recruitment,
            summary=_(
                "Set the panel to %(size)s jurors and keeping details for %(days)s days after "
                "the report."
            )
            % {"size": panel_size, "days": retention_days},
        )
    return recruitment


# --- links and emails -------------------------------------------------------------------------


def _absolute(path, request):
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL + path


def _email(kind, volunteer, address, request, **extra):
    emails.queue_templated(
        f"juries/email/volunteer_{kind}",
        address,
        {
            "volunteer": volunteer,
            "jury": volunteer.jury,
            "confirm_link": _absolute(volunteer.confirm_url(), request),
            "withdraw_link": _absolute(volunteer.withdraw_url(), request),
            **extra,
        },
    )


# --- the public registration form -------------------------------------------------------------


def _client_ip(request):
    return get_adapter(request).get_client_ip(request)


def _count_registration(request):
    """Count one registration against the client's address; refuse past the hourly limit.

    A fixed one-hour window in the shared cache: simple, and enough to stop one machine filling
    the pool. Counted before anything is stored, so refused attempts count too.
    """
    if request is None:
        return
    key = f"volunteer-registrations:{_client_ip(request)}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    if count > settings.VOLUNTEER_REGISTRATIONS_PER_HOUR:
        raise RegistrationsLimited(
            _(
                "Too many registrations have come from your network in the last hour. "
                "Please try again in an hour, or contact the facilitators."
            )
        )


def _checked_answers(jury, answers):
    """The (category, value) pairs for `answers`; every category must be answered once."""
    categories = Category.objects.filter(jury=jury).prefetch_related("values")
    pairs = []
    for category in categories:
        values = {value.pk: value for value in category.values.all()}
        value = values.get(_as_int(answers.get(category.pk)))
        if value is None:
            raise RecruitmentError(
                _("Answer the question “%(question)s”.") % {"question": category.question}
            )
        pairs.append((category, value))
    return pairs


def _as_int(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def _check_statements(recruitment, confirmed_statements):
    missing = set(recruitment.statements()) - set(confirmed_statements)
    if missing:
        raise RecruitmentError(_("Confirm each statement about who can take part."))


def _existing(jury, email):
    return (
        Volunteer.objects.select_for_update()
        .filter(jury=jury, email=email, withdrawn_at__isnull=True)
        .first()
    )


def register(jury, *, name, email, answers, access_needs="", confirmed_statements=(), request=None):
    """Register someone's interest from the public form; returns the (unconfirmed) Volunteer.

    Anyone may call it while recruitment is open, at most VOLUNTEER_REGISTRATIONS_PER_HOUR times
    an hour from one address. Emails a link to confirm. If the address is already registered, it
    sends the link again (unconfirmed) or a short "already registered" note (confirmed), and
    changes nothing, so the form never tells a stranger whether an address is registered.
    """
    _count_registration(request)
    email = email.strip().lower()
    with transaction.atomic():
        recruitment = _locked_recruitment(jury)
        if not recruitment.is_open:
            raise RecruitmentError(_("Registration for this jury is not open."))
        _check_statements(recruitment, confirmed_statements)
        pairs = _checked_answers(jury, answers)
        existing = _existing(jury, email)
        if existing is not None:
            kind = "already" if existing.confirmed_at else "confirm"
            _email(kind, existing, existing.email, request)
            return existing
        volunteer = _create(jury, name, email, access_needs, pairs)
        _email("confirm", volunteer, volunteer.email, request)
    return volunteer


def _create(jury, name, email, access_needs, pairs):
    now = timezone.now()
    try:
        with transaction.atomic():
            volunteer = Volunteer.objects.create(
                jury=jury,
                name=name.strip(),
                email=email,
                access_needs=access_needs.strip(),
                source=VolunteerSource.FORM,
                consented_at=now,
            )
    except IntegrityError as error:  # the same address sent at the same moment
        # Said vaguely on purpose: the form must not tell anyone whether an address is registered.
        raise RecruitmentError(
            _("Your registration could not be saved. Please try again.")
        ) from error
    Answer.objects.bulk_create(
        Answer(volunteer=volunteer, category=category, value=value) for category, value in pairs
    )
    return volunteer


def confirm(volunteer):
    """Put a volunteer who followed their emailed link into the pool. Idempotent.

    Refused while recruitment is not open, so the pool does not change under a closed draw.
    """
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if volunteer.withdrawn_at is not None:
            raise RecruitmentError(_("You withdrew, so this registration cannot be confirmed."))
        if volunteer.confirmed_at is not None:
            return volunteer
        if not recruitment_for(volunteer.jury).is_open:
            raise RecruitmentError(
                _("Registration has closed, so this registration can no longer be confirmed.")
            )
        volunteer.confirmed_at = timezone.now()
        volunteer.save(update_fields=["confirmed_at"])
    return volunteer


def withdraw(volunteer, request=None):
    """Take a volunteer out of the pool and erase their contact details at once. Idempotent.

    The pseudonym and answers stay: a published draw may refer to them, and they say nothing
    about who the person is. A last email to the address confirms it was erased.
    """
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if volunteer.withdrawn_at is not None:
            return volunteer
        address = volunteer.email
        volunteer.withdrawn_at = timezone.now()
        volunteer.name = ""
        volunteer.email = f"withdrawn-{volunteer.pseudonym}@invalid"
        volunteer.access_needs = ""
        volunteer.save(update_fields=["withdrawn_at", "name", "email", "access_needs"])
        _email("withdrawn", volunteer, address, request)
    return volunteer


# --- the facilitators' CSV import -------------------------------------------------------------


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
    try:
        validate_email(email)
    except ValidationError:
        return None, _("“%(email)s” is not an email address.") % {"email": email}
    if email in taken:
        return None, taken[email]
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
    return (name, email, _cell(row, columns.access), pairs), None


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
        _email("imported", volunteer, volunteer.email, request)
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


def record_export(jury, by):
    """Note in the audit log that a facilitator downloaded volunteers' contact details."""
    audit.record(
        actor=by,
        action="recruitment.export",
        jury=jury,
        summary=_("Downloaded the list of volunteers with their contact details."),
    )
