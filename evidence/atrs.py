"""Import and export of one System in the form of the UK Algorithmic Transparency Recording
Standard (ATRS), as JSON or CSV, so that a public body that already publishes transparency records
can bring them into the register, and a record exported and imported again loses nothing.

Public API (called from the views):

- ``export_json(system)`` and ``export_csv(system)`` return the record as text.
- ``read_json(text)`` and ``read_csv(text)`` return a ``ParsedRecord``: ``fields`` (model field name
  to a value ready to set on a System, holding only what the document gives) and ``problems``
  (plain-English, translated messages). They never raise on bad input.
- ``import_record(text, fmt, ...)`` reads, then creates or updates one System in one transaction,
  keeping the document as given in ``source_document``; with any problem it saves nothing.
  ``overrides`` lets the user supply what the document lacks, such as a purpose statement.

Fields a document leaves out are left alone on update. ``ParsedRecord.rejected`` and ``.readable``
only keep a required field that was given badly, or an unreadable file, from also being reported
as missing.

The JSON form, schema "deliberate.atrs/1". Keys are matched by name, never by position; every value
is text unless said otherwise; a key may be left out, and an unknown key is reported::

    {"schema": "deliberate.atrs/1",
     "atrs_version": "3.0",                     # the version of the standard the record follows
     "metadata": {"organisation", "organisation_type", "function", "capability", "task", "phase",
                  "regions", "date_published"},  # date_published: "YYYY-MM-DD" or null
     "tier_1": {"name", "description", "website", "contact_email"},
     "tier_2": {
       "owner_and_responsibility": {"organisation",  # the owning organisation or department
                                    "team", "senior_responsible_owner", "third_parties": [...]},
       "description_and_rationale": {"detailed_description", "scope", "benefit",
                                     "previous_process", "alternatives_considered"},
       "decision_making_process": {"process_integration", "provided_information",
                                   "frequency_and_scale", "human_decisions", "required_training",
                                   "appeals_and_review"},
       "tool_specification": {"system_architecture",
                              "phase",  # the same as metadata.phase; either may be given
                              "maintenance", "models": [...], "datasets": [...]},
       "risks_mitigations_and_impact_assessments": {"impact_assessments": [...], "risks": [...]}},
     "deliberate": {"purpose",  # required, with tier_1.name and metadata.organisation
                    "status",
                    "eu_ai_act": {"classification", "annex_point", "eu_database_url",
                                  "fria_summary", "dpia_summary"}}}

Lists hold objects with these keys (an object whose values are all empty is dropped):

- third_parties: name, companies_house_number, role, procurement_procedure_type, data_access_terms
- models: name, version, task, input, output, architecture, performance, datasets, dataset_purposes
- datasets: name, modality, description, quantities, sensitive_attributes,
  completeness_and_representativeness, source_url (http or https), collection, cleaning,
  sharing_agreements, access_and_storage
- impact_assessments: name, description, date, link (http or https)
- risks: name, description, mitigation

Choices (organisation_type, function, capability, phase, status, eu_ai_act.classification) are
exported as the stored value (``beta_pilot``) and read either as that or as the label, in any case
(``Beta or pilot``, ``beta/pilot``). The older flat ATRS 1.1/2.1 JSON, one object with attribute
names such as ``external_supplier`` or ``source_data_url``, is read too; see evidence/atrs_csv.py,
which also describes the CSV form.
"""

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from evidence import atrs_csv, register
from evidence.atrs_csv import (
    DATASETS,
    IMPACT_ASSESSMENTS,
    MODELS,
    REGISTER_FIELDS,
    REPEATABLES,
    RISKS,
    SCHEMA,
    THIRD_PARTIES,
    FieldCleaner,
    ParsedRecord,
    Repeatable,
    export_values,
    kind,
    quoted,
)
from evidence.models import System
from juries import text_limits

__all__ = [
    "REGISTER_FIELDS",
    "REPEATABLES",
    "SCHEMA",
    "ParsedRecord",
    "export_csv",
    "export_json",
    "import_record",
    "read_csv",
    "read_json",
]


def _same(*names):
    return {name: name for name in names}


# The JSON layout: each key names a System field, a Repeatable, or a nested section.
LAYOUT = {
    "atrs_version": "atrs_version",
    "metadata": _same(
        "organisation",
        "organisation_type",
        "function",
        "capability",
        "task",
        "phase",
        "regions",
        "date_published",
    ),
    "tier_1": _same("name", "description", "website", "contact_email"),
    "tier_2": {
        "owner_and_responsibility": {
            "organisation": "owner_organisation",
            **_same("team", "senior_responsible_owner"),
            "third_parties": THIRD_PARTIES,
        },
        "description_and_rationale": _same(
            "detailed_description",
            "scope",
            "benefit",
            "previous_process",
            "alternatives_considered",
        ),
        "decision_making_process": _same(
            "process_integration",
            "provided_information",
            "frequency_and_scale",
            "human_decisions",
            "required_training",
            "appeals_and_review",
        ),
        "tool_specification": {
            **_same("system_architecture", "phase", "maintenance"),
            "models": MODELS,
            "datasets": DATASETS,
        },
        "risks_mitigations_and_impact_assessments": {
            "impact_assessments": IMPACT_ASSESSMENTS,
            "risks": RISKS,
        },
    },
    "deliberate": {
        **_same("purpose", "status"),
        "eu_ai_act": {
            "classification": "ai_act_classification",
            "annex_point": "ai_act_annex_point",
            **_same("eu_database_url", "fria_summary", "dpia_summary"),
        },
    },
}
_SECTIONS = {"schema", *LAYOUT} - {"atrs_version"}


# --- JSON ------------------------------------------------------------------------------------


def export_json(system) -> str:
    """The System as JSON in the "deliberate.atrs/1" schema described above."""
    values = export_values(system)
    values["date_published"] = values["date_published"] or None

    def build(layout):
        return {
            key: build(spec)
            if isinstance(spec, dict)
            else values[spec.field if isinstance(spec, Repeatable) else spec]
            for key, spec in layout.items()
        }

    return json.dumps({"schema": SCHEMA, **build(LAYOUT)}, ensure_ascii=False, indent=2) + "\n"


def read_json(text: str) -> ParsedRecord:
    """Read a record in the JSON schema above, or the older flat ATRS JSON; never raises."""
    return _with_required(_parse_json(text))


def _parse_json(text):
    repeated = []
    try:
        data = json.loads(text.removeprefix("\ufeff"), object_pairs_hook=_noting(repeated))
    except json.JSONDecodeError as error:
        message = _("The file is not valid JSON: %(error)s (line %(line)s, column %(column)s).")
        where = {"error": error.msg, "line": error.lineno, "column": error.colno}
        return ParsedRecord(problems=[message % where], readable=False)
    except (ValueError, RecursionError):
        message = _("The file is not valid JSON, or nests too deeply to read.")
        return ParsedRecord(problems=[message], readable=False)
    if repeated:
        message = _("“%(key)s” is given more than once in the same object; give it once.")
        return ParsedRecord(problems=[message % {"key": key} for key in repeated], readable=False)
    if not isinstance(data, dict):
        message = _("The JSON must be one object, {…}, holding one system, not %(kind)s.")
        return ParsedRecord(problems=[message % {"kind": kind(data)}], readable=False)
    if _SECTIONS & set(data):
        return _read_nested(data)
    return atrs_csv.read_flat(data.items(), as_csv=False)


def _noting(repeated):
    """An object_pairs_hook that notes keys given twice, which json would silently drop."""

    def hook(pairs):
        keys = [key for key, _value in pairs]
        repeated.extend(sorted({key for key in keys if keys.count(key) > 1}))
        return dict(pairs)

    return hook


def _read_nested(data):
    cleaner = FieldCleaner()
    scalars, lists = {}, {}
    data = dict(data)
    cleaner.schema(data.pop("schema", None), quoted("schema"))
    _walk(data, LAYOUT, "", scalars, lists, cleaner)
    for name, occurrences in scalars.items():
        cleaner.scalar(name, occurrences)
    for repeatable, (value, where) in lists.items():
        items = _json_items(value, where, repeatable, cleaner)
        if items is not None:
            cleaner.items(repeatable, items)
    return cleaner.record


def _walk(data, layout, path, scalars, lists, cleaner):
    for key, value in data.items():
        where = f"{path}.{key}" if path else key
        spec = layout.get(key)
        if spec is None:
            cleaner.problem(_("Unknown field “%(field)s”"), field=where)
        elif isinstance(spec, Repeatable):
            lists[spec] = (value, where)
        elif not isinstance(spec, dict):
            scalars.setdefault(spec, []).append((value, quoted(where)))
        elif isinstance(value, dict):
            _walk(value, spec, where, scalars, lists, cleaner)
        elif value is not None:
            cleaner.problem(
                _("“%(field)s” should be an object, {…}, not %(kind)s."),
                field=where,
                kind=kind(value),
            )


def _json_items(value, where, repeatable, cleaner):
    """A JSON list as [{key: (value, subject)}], or None if it is not a list of objects."""
    if value is None:
        return []
    if not isinstance(value, list):
        message = _("“%(field)s” should be a list of objects, […], not %(kind)s.")
        cleaner.problem(message, field=where, kind=kind(value))
        return None
    items = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            message = _("“%(field)s” item %(number)s should be an object, {…}, not %(kind)s.")
            cleaner.problem(message, field=where, number=number, kind=kind(item))
            continue
        subject = _("“%(field)s” item %(number)s, “%(key)s”")
        for key in [key for key in item if key not in repeatable.keys]:
            cleaner.problem(
                _("Unknown field “%(key)s” in “%(field)s” item %(number)s"),
                key=key,
                field=where,
                number=number,
            )
        items.append(
            {
                key: (item[key], subject % {"field": where, "number": number, "key": key})
                for key in repeatable.keys
                if key in item
            }
        )
    return items


# --- CSV -------------------------------------------------------------------------------------


def export_csv(system) -> str:
    """The System as CSV: a header row naming every column, and one data row."""
    return atrs_csv.export(system)


def read_csv(text: str) -> ParsedRecord:
    """Read a record as CSV (see evidence/atrs_csv.py); never raises."""
    return _with_required(atrs_csv.read(text))


# --- Import ----------------------------------------------------------------------------------


def _with_required(record, overrides=None, system=None):
    """The record with its fields overridden, and a problem for each required field that neither
    it nor the existing system fills (unless the document gave it, but unusably)."""
    overrides = overrides or {}
    record.fields.update(overrides)
    if not record.readable:
        return record
    required = {
        "name": _("“name”: the system’s name is required"),
        "organisation": _("“organisation”: the organisation is required"),
        "purpose": _("“purpose”: a purpose statement is required"),
    }
    for name, message in required.items():
        value = record.fields.get(name, getattr(system, name, ""))
        if not str(value or "").strip() and (name not in record.rejected or name in overrides):
            record.problems.append(message)
    return record


def import_record(
    text: str,
    fmt: str,
    *,
    slug: str | None = None,
    system: System | None = None,
    overrides: dict | None = None,
    by=None,
    jury=None,
) -> tuple[System | None, list[str]]:
    """Create a System from a JSON or CSV record, or update ``system`` in place from it.

    ``overrides`` (System field name to value) take precedence over the document, for example a
    purpose statement the user adds to a flat ATRS record that lacks one. A new System's slug
    comes from ``slug`` or the name, made unique with -2, -3… The document is kept as given.
    With any problem nothing is saved (and ``system`` is left as it was) and the result is
    (None, problems). Saving is one transaction, through ``register.save_system``: a change keeps
    the earlier version and is audited as done ``by`` that person; a new entry is linked to
    ``jury`` when given. The caller has checked that ``by`` may add or change the entry.
    """
    parsers = {"json": _parse_json, "csv": atrs_csv.read}
    if fmt not in parsers:
        return None, [_("Unknown format “%(format)s”; use json or csv.") % {"format": fmt}]
    too_long = text_limits.too_long(text, text_limits.IMPORTED_RECORD, subject=_("The record"))
    if too_long:  # kept whole as the source document, so refused before it is read
        return None, [too_long]
    record = _with_required(parsers[fmt](text), overrides, system)
    if record.problems:
        return None, record.problems
    target = system if system is not None else System()
    fields = {**record.fields, "source_format": fmt, "source_document": text}
    before = {name: getattr(target, name) for name in fields}
    for name, value in fields.items():
        setattr(target, name, value)
    with transaction.atomic():
        if target.pk is None:
            target.slug = unique_slug(slug or fields["name"])
        problems = _model_problems(target)
        if not problems:
            register.save_system(target, by=by, jury=jury)
    if problems:
        for name, value in before.items():
            setattr(target, name, value)
        return None, problems
    return target, []


def _model_problems(system):
    """The model's own validation, a last check before saving."""
    try:
        system.full_clean()
    except ValidationError as error:
        return [
            f"{quoted(name)}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def unique_slug(text):
    """A slug from text not yet used by any System: base, base-2, base-3…"""
    base = slugify(text)[:70].strip("-") or "system"
    taken = set(System.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate
