"""The flat form of an ATRS record: the register's fields one name per value, the checks every
value passes on the way in, and CSV. evidence/atrs.py builds the JSON form and the import on it.

CSV: a header row and exactly one data row (blank lines are ignored). Columns are matched by name,
in any order, ignoring case and surrounding spaces; an unknown column is reported, never dropped.

- Single values by their System field name: schema, atrs_version, organisation,
  organisation_type, function, capability, task, phase, regions, date_published (YYYY-MM-DD, or
  DD/MM/YYYY as spreadsheets write it), name, description, website, contact_email,
  owner_organisation (the Tier 2 organisation), team, senior_responsible_owner, the Tier 2 texts,
  purpose, status, ai_act_classification, ai_act_annex_point, eu_database_url, fria_summary,
  dpia_summary.
- Lists as numbered columns ``<prefix>_<key>_<n>`` from 1, with the prefixes third_party, model,
  dataset, impact_assessment and risk and the keys listed in evidence/atrs.py: ``risk_name_1``,
  ``risk_mitigation_1``, ``dataset_source_url_2``.

Export writes every column, empty or not, with at least one numbered group per list, so the header
is the same for every record with no more than one item in each list. It goes through the product's
one CSV writer (juries/csv_export.py), so a value a spreadsheet would run as a formula is written
with a quote in front; reading takes that quote off again, so an exported record imported again
comes back as it was.

The older flat ATRS 1.1/2.1 attribute names are read as CSV columns and as the keys of a flat JSON
object, with or without a trailing number (``risk_name``, ``risk_name2``, ``risk_name_2``); in flat
JSON a repeatable attribute may also be a list of texts. ``frequency_usage`` is frequency_and_scale;
``external_supplier``, ``external_supplier_identifier``, ``external_supplier_role`` and
``data_access_terms`` are a third party's name, Companies House number, role and data access
terms; ``model_type`` is a model's architecture; ``source_data_name``, ``source_data_description``,
``source_data_url``, ``data_collection``, ``data_sharing_agreements`` and
``data_access_and_storage`` are a dataset's name, description, source URL, collection, sharing
agreements and access and storage. A flat record without ``schema`` and ``owner_organisation``
is taken to be an ATRS one, where the organisation is also the owner. ATRS records have no purpose
statement, which the register requires: reading one reports that it is missing.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from evidence.models import System
from juries import csv_export
from juries.text_limits import LONG

SCHEMA = "deliberate.atrs/1"


@dataclass(frozen=True)
class Repeatable:
    """A repeatable ATRS part, kept on System as a JSON list of objects with fixed keys."""

    field: str  # the System field
    prefix: str  # the CSV column prefix, as in risk_name_1
    keys: tuple[str, ...]
    url_keys: tuple[str, ...] = ()


def _keys(text):
    return tuple(text.split())


THIRD_PARTIES = Repeatable(
    "third_parties",
    "third_party",
    _keys("name companies_house_number role procurement_procedure_type data_access_terms"),
)
MODELS = Repeatable(
    "models_used",
    "model",
    _keys("name version task input output architecture performance datasets dataset_purposes"),
)
DATASETS = Repeatable(
    "datasets",
    "dataset",
    _keys(
        "name modality description quantities sensitive_attributes"
        " completeness_and_representativeness source_url collection cleaning sharing_agreements"
        " access_and_storage"
    ),
    url_keys=("source_url",),
)
IMPACT_ASSESSMENTS = Repeatable(
    "impact_assessments", "impact_assessment", _keys("name description date link"), ("link",)
)
RISKS = Repeatable("risks", "risk", _keys("name description mitigation"))

# Every field of a record in the order of the standard: the CSV columns, and what round-trips.
COLUMNS = (
    *_keys("atrs_version organisation organisation_type function capability task phase regions"),
    *_keys("date_published name description website contact_email owner_organisation team"),
    "senior_responsible_owner",
    THIRD_PARTIES,
    *_keys("detailed_description scope benefit previous_process alternatives_considered"),
    *_keys("process_integration provided_information frequency_and_scale human_decisions"),
    *_keys("required_training appeals_and_review system_architecture maintenance"),
    MODELS,
    DATASETS,
    IMPACT_ASSESSMENTS,
    RISKS,
    *_keys("purpose status ai_act_classification ai_act_annex_point eu_database_url"),
    *_keys("fria_summary dpia_summary"),
)
SCALAR_FIELDS = tuple(column for column in COLUMNS if isinstance(column, str))
REPEATABLES = tuple(column for column in COLUMNS if isinstance(column, Repeatable))
REGISTER_FIELDS = (*SCALAR_FIELDS, *(repeatable.field for repeatable in REPEATABLES))

# The older flat ATRS attribute names.
_FLAT_SCALARS = {"frequency_usage": "frequency_and_scale"}
_FLAT_ITEMS = {
    "external_supplier": (THIRD_PARTIES, "name"),
    "external_supplier_identifier": (THIRD_PARTIES, "companies_house_number"),
    "external_supplier_role": (THIRD_PARTIES, "role"),
    "data_access_terms": (THIRD_PARTIES, "data_access_terms"),
    "model_type": (MODELS, "architecture"),
    "source_data_name": (DATASETS, "name"),
    "source_data_description": (DATASETS, "description"),
    "source_data_url": (DATASETS, "source_url"),
    "data_collection": (DATASETS, "collection"),
    "data_sharing_agreements": (DATASETS, "sharing_agreements"),
    "data_access_and_storage": (DATASETS, "access_and_storage"),
}
_SCALAR_NAMES = {name: name for name in SCALAR_FIELDS} | _FLAT_SCALARS
_ITEM_NAMES = {
    f"{repeatable.prefix}_{key}": (repeatable, key)
    for repeatable in REPEATABLES
    for key in repeatable.keys
} | _FLAT_ITEMS
_NUMBERED = re.compile(r"(?P<base>[a-z_]*[a-z])_?(?P<number>\d+)")
# Links are shown to the public, so only web addresses, never javascript: or data: ones.
_URL = URLValidator(schemes=["http", "https"])
_INVALID = object()


@dataclass
class ParsedRecord:
    """What a document gives: System field name -> value, and the problems found reading it."""

    fields: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    # Fields given with a value that cannot be used, and whether the document could be read as
    # a record at all: their problems say what is wrong, so neither is also reported as missing.
    rejected: set[str] = field(default_factory=set)
    readable: bool = True


def quoted(name):
    return _("“%(name)s”") % {"name": name}


def kind(value):
    """What a JSON value is, in words."""
    if isinstance(value, bool):
        return _("true or false")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("an object")
    return _("null") if value is None else _("text")


def _normal(text):
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def _choice_lookup(model_field):
    """Stored values, labels (in English and the current language) and ATRS spellings."""
    lookup = {_normal(value): value for value, _label in model_field.choices}
    with translation.override("en"):
        lookup.update({_normal(str(label)): value for value, label in model_field.choices})
    lookup.update({_normal(str(label)): value for value, label in model_field.choices})
    if model_field.name == "phase":
        lookup.update({"beta/pilot": "beta_pilot", "beta": "beta_pilot", "pilot": "beta_pilot"})
    return lookup


def _choice_names(model_field):
    names = {"beta_pilot": "beta/pilot"} if model_field.name == "phase" else {}
    return ", ".join(names.get(value, str(label).lower()) for value, label in model_field.choices)


class FieldCleaner:
    """Turns values as found in a document into values for System, collecting problems.

    Each value arrives with its subject, the words naming where it is in the document
    (“metadata.phase”, Column “risk_name_2”), so that a problem points at it.
    """

    def __init__(self):
        self.record = ParsedRecord()

    def problem(self, message, **params):
        self.record.problems.append(message % params)

    def schema(self, value, subject):
        if value not in (SCHEMA, "", None):
            self.problem(
                _(
                    "%(subject)s: “%(value)s” is not a schema this site reads (expected %(schema)s)."
                ),
                subject=subject,
                value=value,
                schema=SCHEMA,
            )

    def scalar(self, name, occurrences):
        """Clean a field given once or more, as [(value, subject)]; differing values conflict."""
        found = []
        for value, subject in occurrences:
            cleaned = self._value(name, value, subject)
            if cleaned is not _INVALID:
                found.append((cleaned, subject))
        given = [(value, subject) for value, subject in found if value not in ("", None)]
        if len(found) < len(occurrences):
            self.record.rejected.add(name)
        if len({value for value, _subject in given}) > 1:
            self.record.rejected.add(name)
            (first, first_subject), (second, second_subject) = given[:2]
            self.problem(
                _("%(first)s and %(second)s disagree (“%(a)s” and “%(b)s”); give one value."),
                first=first_subject,
                second=second_subject,
                a=first,
                b=second,
            )
        elif found:
            self.record.fields[name] = (given or found)[0][0]

    def items(self, repeatable, items):
        """Clean a list given as [{key: (value, subject)}]; objects with no values are dropped."""
        cleaned = []
        for item in items:
            row = dict.fromkeys(repeatable.keys, "")
            for key, (value, subject) in item.items():
                text = self._within_limit(self.text(value, subject), subject, LONG)
                if text and text is not _INVALID and key in repeatable.url_keys:
                    text = self._checked(text, subject, _URL, _not_a_web_address())
                row[key] = "" if text is _INVALID else text
            if any(row.values()):
                cleaned.append(row)
        self.record.fields[repeatable.field] = cleaned

    def text(self, value, subject):
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        message = _("%(subject)s: expected text, not %(kind)s.")
        self.problem(message, subject=subject, kind=kind(value))
        return _INVALID

    def _value(self, name, value, subject):
        text = self.text(value, subject)
        model_field = System._meta.get_field(name)
        if text is _INVALID:
            return _INVALID
        if model_field.choices:
            return self._choice(model_field, text, subject)
        if isinstance(model_field, models.DateField):
            return self._date(text, subject)
        if isinstance(model_field, models.URLField) and text.strip():
            text = self._checked(text, subject, _URL, _not_a_web_address())
        elif isinstance(model_field, models.EmailField) and text.strip():
            message = _("%(subject)s: “%(value)s” is not an email address.")
            text = self._checked(text, subject, EmailValidator(), message)
        return self._within_limit(text, subject, model_field.max_length)

    def _within_limit(self, text, subject, limit):
        if text is _INVALID or limit is None or len(text) <= limit:
            return text
        self.problem(
            _("%(subject)s: %(length)s characters is too long; at most %(limit)s are allowed."),
            subject=subject,
            length=len(text),
            limit=limit,
        )
        return _INVALID

    def _choice(self, model_field, text, subject):
        if not text.strip():
            return ""
        value = _choice_lookup(model_field).get(_normal(text))
        if value is None:
            self.problem(
                _("%(subject)s: “%(value)s” is not one of: %(choices)s"),
                subject=subject,
                value=text,
                choices=_choice_names(model_field),
            )
            return _INVALID
        return value

    def _date(self, text, subject):
        text = text.strip()
        if not text:
            return None
        match = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)|(\d\d?)/(\d\d?)/(\d{4})", text)
        try:
            if match and match[1]:
                return date(int(match[1]), int(match[2]), int(match[3]))
            if match:
                return date(int(match[6]), int(match[5]), int(match[4]))
        except ValueError:
            pass  # a day that does not exist: reported below like any other
        message = _("%(subject)s: “%(value)s” is not a date in the form YYYY-MM-DD.")
        self.problem(message, subject=subject, value=text)
        return _INVALID

    def _checked(self, text, subject, validator, message):
        text = text.strip()
        try:
            validator(text)
        except ValidationError:
            self.problem(message, subject=subject, value=text)
            return _INVALID
        return text


def _not_a_web_address():
    return _("%(subject)s: “%(value)s” is not a web address starting with http:// or https://.")


def export_values(system):
    """The register's fields as text (date_published as YYYY-MM-DD or "") and lists of objects
    with every key."""
    values = {name: getattr(system, name) or "" for name in SCALAR_FIELDS}
    if system.date_published:
        values["date_published"] = system.date_published.isoformat()
    for repeatable in REPEATABLES:
        values[repeatable.field] = [
            {key: "" if item.get(key) is None else str(item[key]) for key in repeatable.keys}
            for item in getattr(system, repeatable.field) or []
            if isinstance(item, dict)
        ]
    return values


def export(system):
    """The System as CSV: a header row naming every column, and one data row."""
    values = export_values(system)
    header, row = ["schema"], [SCHEMA]
    for column in COLUMNS:
        if isinstance(column, str):
            header.append(column)
            row.append(values[column])
            continue
        for number, item in enumerate(values[column.field] or [{}], start=1):
            header += [f"{column.prefix}_{key}_{number}" for key in column.keys]
            row += [item.get(key, "") for key in column.keys]
    buffer = io.StringIO()
    writer = csv_export.writer(buffer)
    writer.writerow(header)
    writer.writerow(row)
    return buffer.getvalue()


def read(text):
    """Read a record as CSV, without checking required fields; never raises."""
    rows, problems = _rows(text)
    if rows is None:
        return ParsedRecord(problems=problems, readable=False)
    header, row = rows
    if len(row) > len(header):
        problems.append(
            _("The data row has %(cells)s cells but the header row names only %(columns)s.")
            % {"cells": len(row), "columns": len(header)}
        )
    pairs, seen = [], set()
    cells = row + [""] * (len(header) - len(row))  # extra cells were reported above
    for number, (column, value) in enumerate(zip(header, cells, strict=False), start=1):
        column = column.strip()
        if column and column_key(column) in seen:
            message = _("Column “%(column)s” appears more than once in the header row.")
            problems.append(message % {"column": column})
        elif column:
            seen.add(column_key(column))
            pairs.append((column, csv_export.restore(value)))
        elif value.strip():
            message = _("Column %(number)s has a value but no name in the header row.")
            problems.append(message % {"number": number})
    record = read_flat(pairs, as_csv=True)
    record.problems[:0] = problems
    return record


def _rows(text):
    """The header and the data row, or None and the problem."""
    try:
        reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as error:
        return None, [_("The CSV file could not be read: %(error)s.") % {"error": error}]
    if not rows:
        return None, [_("The CSV file is empty; it needs a header row and one data row.")]
    if len(rows) == 1:
        return None, [_("The CSV file has a header row but no data row.")]
    if len(rows) > 2:
        message = _(
            "The CSV file has %(count)s data rows; it must hold one system only:"
            " a header row and one data row."
        )
        return None, [message % {"count": len(rows) - 1}]
    return rows, []


def column_key(name):
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def _target(key):
    """(None, field, None) for a single value, (repeatable, key, number or None) for a list's."""
    if key in _SCALAR_NAMES:
        return None, _SCALAR_NAMES[key], None
    if key in _ITEM_NAMES:
        return (*_ITEM_NAMES[key], None)
    match = _NUMBERED.fullmatch(key)
    if match and match["base"] in _ITEM_NAMES and int(match["number"]) >= 1:
        return (*_ITEM_NAMES[match["base"]], int(match["number"]))
    return None


def read_flat(pairs, *, as_csv):
    """Read (name, value) pairs, CSV columns or the keys of a flat JSON object, without checking
    required fields."""
    cleaner = FieldCleaner()
    scalars, slots, keys = {}, {}, set()
    for name, value in pairs:
        key = column_key(name)
        keys.add(key)
        subject = _("Column “%(column)s”") % {"column": name} if as_csv else quoted(name)
        target = _target(key)
        if key == "schema":
            cleaner.schema(value, subject)
        elif target is None:
            unknown = _("Unknown column “%(name)s”") if as_csv else _("Unknown field “%(name)s”")
            cleaner.problem(unknown, name=name)
        elif target[0] is None:
            scalars.setdefault(target[1], []).append((value, subject))
        else:
            _place(slots, target, value, subject, cleaner)
    if not keys & {"schema", "owner_organisation"} and "organisation" in scalars:
        scalars["owner_organisation"] = scalars["organisation"]
    for name, occurrences in scalars.items():
        cleaner.scalar(name, occurrences)
    for repeatable, numbered in slots.items():
        cleaner.items(repeatable, [numbered[number] for number in sorted(numbered)])
    return cleaner.record


def _place(slots, target, value, subject, cleaner):
    """Put a list entry in its numbered slot; in flat JSON an unnumbered one may be a list."""
    repeatable, key, number = target
    if number is None and isinstance(value, list):
        entries = [
            (place, entry, _("%(subject)s item %(number)s") % {"subject": subject, "number": place})
            for place, entry in enumerate(value, start=1)
        ]
    else:
        entries = [(number or 1, value, subject)]
    for place, entry, where in entries:
        slot = slots.setdefault(repeatable, {}).setdefault(place, {})
        if key in slot:
            message = _("%(subject)s is the same field as %(other)s; keep one of them.")
            cleaner.problem(message, subject=where, other=slot[key][1])
        else:
            slot[key] = (entry, where)
