"""Importing and exporting a system's ATRS record as JSON and CSV."""

import csv
import datetime
import io
import json

import pytest

from evidence import atrs
from evidence.models import Phase, System

# Everything on System except what belongs to the register rather than to the record.
NOT_IN_A_RECORD = {
    "id",
    "slug",
    "juries",
    "source_format",
    "source_document",
    "created_at",
    "updated_at",
}
RECORD_FIELDS = [
    field.name
    for field in System._meta.get_fields()
    if field.concrete and field.name not in NOT_IN_A_RECORD
]
AWKWARD = 'Ysgol Gymraeg "Bro Ddyfi", Machynlleth — ŵ ŷ ✓\nsecond line, with a comma\r\nthird'


def _filled(keys, number):
    return {key: f"{key} {number}: {AWKWARD}" for key in keys}


def full_fields():
    """A value for every field of the record, with more than one item in each list."""
    fields = {name: f"{name}: {AWKWARD}" for name in RECORD_FIELDS}
    fields.update(
        organisation_type="local_authority",
        function="social_protection",
        capability="forecasting",
        phase="beta_pilot",
        status="piloted",
        ai_act_classification="high_risk",
        ai_act_annex_point="5(a)",
        regions="Wales, England",
        task="Triage “urgent” cases",
        date_published=datetime.date(2025, 3, 14),
        atrs_version="3.0",
        name="Cyngor: risk-based verification, “RBV”",
        organisation="Cyngor Sir Ceredigion, Aberystwyth",
        owner_organisation="Revenues & Benefits",
        team="Fraud, error and “debt”",
        senior_responsible_owner="Head of Benefits",
        website="https://example.org/rbv?a=1&b=ŵ",
        eu_database_url="https://ec.europa.eu/ai-database/entry/123",
        contact_email="rbv@example.org",
    )
    for repeatable in atrs.REPEATABLES:
        items = [_filled(repeatable.keys, number) for number in (1, 2, 3)]
        for item in items:
            item.update(dict.fromkeys(repeatable.url_keys, 'https://example.org/a,b?c="d"'))
        fields[repeatable.field] = items
    return fields


@pytest.fixture
def make_system(db):
    def make(slug="rbv", **fields):
        return System.objects.create(slug=slug, **{**full_fields(), **fields})

    return make


@pytest.fixture
def full_system(make_system):
    return make_system()


@pytest.fixture
def bare_system(db):
    return System.objects.create(
        slug="bare", name="Bare", organisation="Council", purpose="To see what is missing."
    )


def _values(system):
    return {name: getattr(system, name) for name in RECORD_FIELDS}


def _flat_json(**changes):
    record = {
        "name": "Risk-based verification",
        "description": "Scores housing benefit claims for the level of checking.",
        "website": "https://example.gov.uk/rbv",
        "contact_email": "rbv@example.gov.uk",
        "organisation": "Example Borough Council",
        "team": "Benefits",
        "senior_responsible_owner": "Head of Revenues",
        "external_supplier": ["Xantura", "Callcredit"],
        "external_supplier_identifier": ["05355364", "04010035"],
        "external_supplier_role": ["Model", "Data"],
        "data_access_terms": "Processor under contract",
        "scope": "Housing benefit only.",
        "benefit": "Fewer checks on low-risk claims.",
        "alternatives_considered": "Checking every claim.",
        "model_type": "Logistic regression",
        "frequency_usage": "About 4,000 claims a year.",
        "phase": "Production",
        "maintenance": "Reviewed yearly.",
        "system_architecture": "Hosted by the supplier.",
        "process_integration": "Sets the level of evidence asked for.",
        "provided_information": "A risk band.",
        "human_decisions": "Officers decide every claim.",
        "required_training": "Half a day.",
        "appeals_and_review": "Usual benefit appeals.",
        "source_data_name": "Past claims",
        "source_data_description": "Claims 2015-2020",
        "source_data_url": "https://example.gov.uk/data",
        "data_collection": "From claim forms.",
        "data_sharing_agreements": "None.",
        "data_access_and_storage": "UK data centre.",
        "impact_assessment_name": ["DPIA", "Equality impact assessment"],
        "impact_assessment_description": ["Data protection", "Equality Act duties"],
        "impact_assessment_date": ["2021-01-05", "2021-02-01"],
        "impact_assessment_link": ["https://example.gov.uk/dpia", ""],
        "risk_name": "Bias",
        "risk_description": "Some groups flagged more often.",
        "risk_mitigation": "Quarterly monitoring.",
    }
    record.update(changes)
    return json.dumps(record)


def _csv(header, *rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


# --- Round trips -----------------------------------------------------------------------------


def test_the_register_fields_are_every_field_a_record_carries():
    assert set(atrs.REGISTER_FIELDS) == set(RECORD_FIELDS)


def test_a_record_exported_to_json_and_imported_again_is_identical(full_system):
    record = atrs.read_json(atrs.export_json(full_system))

    assert record.problems == []
    for name in RECORD_FIELDS:
        assert record.fields[name] == getattr(full_system, name), name


def test_a_record_exported_to_csv_and_imported_again_is_identical(full_system):
    record = atrs.read_csv(atrs.export_csv(full_system))

    assert record.problems == []
    for name in RECORD_FIELDS:
        assert record.fields[name] == getattr(full_system, name), name


@pytest.mark.parametrize(("fmt", "export"), [("json", atrs.export_json), ("csv", atrs.export_csv)])
def test_importing_an_export_creates_a_second_system_with_the_same_fields(full_system, fmt, export):
    document = export(full_system)

    copy, problems = atrs.import_record(document, fmt)

    assert problems == []
    copy = System.objects.get(pk=copy.pk)
    assert copy.pk != full_system.pk
    assert _values(copy) == _values(full_system)
    assert (copy.source_format, copy.source_document) == (fmt, document)


@pytest.mark.parametrize("export", [atrs.export_json, atrs.export_csv])
def test_empty_texts_and_lists_round_trip_as_themselves(bare_system, export):
    read = atrs.read_json if export is atrs.export_json else atrs.read_csv

    record = read(export(bare_system))

    assert record.problems == []
    assert {name: record.fields[name] for name in RECORD_FIELDS} == _values(bare_system)
    assert record.fields["risks"] == []
    assert record.fields["date_published"] is None


def test_the_json_export_follows_the_documented_layout(full_system):
    document = json.loads(atrs.export_json(full_system))

    assert document["schema"] == "deliberate.atrs/1"
    assert document["atrs_version"] == "3.0"
    assert document["metadata"]["date_published"] == "2025-03-14"
    assert document["metadata"]["phase"] == "beta_pilot"
    assert document["tier_1"]["name"] == full_system.name
    owner = document["tier_2"]["owner_and_responsibility"]
    assert owner["organisation"] == "Revenues & Benefits"
    assert owner["third_parties"][1]["companies_house_number"].startswith("companies_house")
    tool = document["tier_2"]["tool_specification"]
    assert tool["phase"] == "beta_pilot"
    assert len(tool["models"]) == 3
    assert set(tool["datasets"][0]) == set(atrs.DATASETS.keys)
    risks = document["tier_2"]["risks_mitigations_and_impact_assessments"]["risks"]
    assert risks[2]["mitigation"].startswith("mitigation 3")
    assert document["deliberate"]["eu_ai_act"]["classification"] == "high_risk"


def test_the_csv_export_of_an_empty_record_still_names_every_column(bare_system):
    header = next(csv.reader(io.StringIO(atrs.export_csv(bare_system))))

    assert header[:2] == ["schema", "atrs_version"]
    for column in ["owner_organisation", "purpose", "ai_act_annex_point", "dpia_summary"]:
        assert column in header
    for column in ["third_party_name_1", "model_dataset_purposes_1", "dataset_source_url_1"]:
        assert column in header
    assert "risk_mitigation_1" in header
    assert "risk_name_2" not in header


def test_csv_columns_are_matched_by_name_not_position(full_system):
    rows = list(csv.reader(io.StringIO(atrs.export_csv(full_system))))
    header, row = rows[0][::-1], rows[1][::-1]

    record = atrs.read_csv(_csv(header, row))

    assert record.problems == []
    assert record.fields == atrs.read_csv(atrs.export_csv(full_system)).fields


# --- The older flat ATRS form ----------------------------------------------------------------


def test_a_flat_atrs_2_1_json_record_is_mapped_to_the_register():
    record = atrs.read_json(_flat_json(purpose="To target checks."))

    assert record.problems == []
    fields = record.fields
    assert fields["organisation"] == fields["owner_organisation"] == "Example Borough Council"
    assert fields["frequency_and_scale"] == "About 4,000 claims a year."
    assert fields["phase"] == Phase.PRODUCTION
    assert [party["name"] for party in fields["third_parties"]] == ["Xantura", "Callcredit"]
    assert fields["third_parties"][0]["companies_house_number"] == "05355364"
    assert fields["third_parties"][0]["data_access_terms"] == "Processor under contract"
    assert fields["third_parties"][1]["data_access_terms"] == ""
    assert fields["models_used"] == [
        dict.fromkeys(atrs.MODELS.keys, "") | {"architecture": "Logistic regression"}
    ]
    assert fields["datasets"][0]["source_url"] == "https://example.gov.uk/data"
    assert fields["datasets"][0]["access_and_storage"] == "UK data centre."
    assert fields["impact_assessments"][1] == {
        "name": "Equality impact assessment",
        "description": "Equality Act duties",
        "date": "2021-02-01",
        "link": "",
    }
    assert fields["risks"] == [
        {
            "name": "Bias",
            "description": "Some groups flagged more often.",
            "mitigation": "Quarterly monitoring.",
        }
    ]


def test_a_flat_atrs_record_without_a_purpose_asks_for_one():
    record = atrs.read_json(_flat_json())

    assert record.problems == ["“purpose”: a purpose statement is required"]
    assert record.fields["name"] == "Risk-based verification"


@pytest.mark.django_db
def test_a_flat_atrs_record_is_imported_once_the_user_adds_a_purpose():
    document = _flat_json()

    system, problems = atrs.import_record(
        document, "json", overrides={"purpose": "To decide how closely to check a claim."}
    )

    assert problems == []
    system.refresh_from_db()
    assert system.purpose == "To decide how closely to check a claim."
    assert system.frequency_and_scale == "About 4,000 claims a year."
    assert system.source_document == document


def test_a_flat_atrs_csv_with_numbered_columns_is_read():
    text = _csv(
        [
            "Name",
            "organisation",
            "purpose",
            "risk_name1",
            "risk_description1",
            "risk_name_2",
            "external_supplier",
            "source_data_url_2",
        ],
        ["RBV", "Council", "To check", "Bias", "Flags some more", "Drift", "Xantura", ""],
    )

    record = atrs.read_csv(text)

    assert record.problems == []
    assert [risk["name"] for risk in record.fields["risks"]] == ["Bias", "Drift"]
    assert record.fields["risks"][0]["description"] == "Flags some more"
    assert record.fields["third_parties"][0]["name"] == "Xantura"
    assert record.fields["datasets"] == []


# --- Bad input -------------------------------------------------------------------------------


def _nested(**sections):
    document = {
        "schema": "deliberate.atrs/1",
        "metadata": {"organisation": "Council"},
        "tier_1": {"name": "RBV"},
        "deliberate": {"purpose": "To check."},
    }
    for section, values in sections.items():
        merge = isinstance(values, dict)
        document[section] = {**document.get(section, {}), **values} if merge else values
    return json.dumps(document)


FULL_HEADER = ["name", "organisation", "purpose"]

BAD_DOCUMENTS = {
    "invalid JSON": ("json", '{"name": "RBV",', "The file is not valid JSON"),
    "a JSON list": ("json", '[{"name": "RBV"}]', "must be one object"),
    "a number for text": (
        "json",
        _nested(tier_1={"name": 42}),
        "“tier_1.name”: expected text, not a number.",
    ),
    "an object for a list": (
        "json",
        _nested(tier_2={"risks_mitigations_and_impact_assessments": {"risks": {"name": "x"}}}),
        "should be a list of objects",
    ),
    "a list item that is not an object": (
        "json",
        _nested(tier_2={"risks_mitigations_and_impact_assessments": {"risks": ["Bias"]}}),
        "risks” item 1 should be an object",
    ),
    "an unknown field": ("json", _nested(metadata={"foo": "bar"}), "Unknown field “metadata.foo”"),
    "an unknown flat field": ("json", _flat_json(purpose="P", foo="x"), "Unknown field “foo”"),
    "an unknown key in a list item": (
        "json",
        _nested(tier_2={"owner_and_responsibility": {"third_parties": [{"nom": "X"}]}}),
        "Unknown field “nom” in “tier_2.owner_and_responsibility.third_parties” item 1",
    ),
    "a bad phase": (
        "json",
        _flat_json(purpose="P", phase="live"),
        "“phase”: “live” is not one of: pre-deployment, beta/pilot, production, retired",
    ),
    "two phases that disagree": (
        "json",
        _nested(
            metadata={"phase": "production"}, tier_2={"tool_specification": {"phase": "retired"}}
        ),
        "“metadata.phase” and “tier_2.tool_specification.phase” disagree",
    ),
    "a bad date": (
        "json",
        _nested(metadata={"date_published": "2025-02-30"}),
        "“metadata.date_published”: “2025-02-30” is not a date in the form YYYY-MM-DD.",
    ),
    "a bad URL": (
        "json",
        _nested(tier_1={"website": "javascript:alert(1)"}),
        "“tier_1.website”: “javascript:alert(1)” is not a web address",
    ),
    "a bad URL in a list": (
        "json",
        _flat_json(purpose="P", source_data_url="not a link"),
        "“source_data_url”: “not a link” is not a web address",
    ),
    "a bad email": (
        "json",
        _nested(tier_1={"contact_email": "nobody"}),
        "“tier_1.contact_email”: “nobody” is not an email address.",
    ),
    "a missing name": (
        "json",
        _nested(tier_1={"name": ""}),
        "“name”: the system’s name is required",
    ),
    "a missing purpose": (
        "json",
        _nested(deliberate={"purpose": "  "}),
        "“purpose”: a purpose statement is required",
    ),
    "a missing organisation": ("csv", _csv(["name", "purpose"], ["RBV", "P"]), "organisation"),
    "an unknown schema": ("json", _nested(schema="other/2"), "“schema”: “other/2” is not a schema"),
    "a key given twice": ("json", '{"name": "A", "name": "B"}', "“name” is given more than once"),
    "a name too long": (
        "json",
        _nested(tier_1={"name": "x" * 201}),
        "“tier_1.name”: 201 characters is too long; at most 200 are allowed.",
    ),
    "a CSV with two data rows": (
        "csv",
        _csv(FULL_HEADER, ["A", "Council", "P"], ["B", "Council", "P"]),
        "The CSV file has 2 data rows",
    ),
    "a CSV with no data row": ("csv", _csv(FULL_HEADER), "no data row"),
    "an empty CSV": ("csv", "", "The CSV file is empty"),
    "a CSV with an unknown column": (
        "csv",
        _csv([*FULL_HEADER, "colour"], ["A", "Council", "P", "red"]),
        "Unknown column “colour”",
    ),
    "a CSV with a bad choice": (
        "csv",
        _csv([*FULL_HEADER, "risk_name_2", "status"], ["A", "Council", "P", "x", "maybe"]),
        "Column “status”: “maybe” is not one of: proposed, piloted, in use, paused, retired",
    ),
    "a CSV with a bad list URL": (
        "csv",
        _csv([*FULL_HEADER, "impact_assessment_link_2"], ["A", "Council", "P", "ftp://x"]),
        "Column “impact_assessment_link_2”: “ftp://x” is not a web address",
    ),
    "a CSV with a repeated column": (
        "csv",
        _csv([*FULL_HEADER, "name"], ["A", "Council", "P", "B"]),
        "Column “name” appears more than once",
    ),
    "a CSV row longer than its header": (
        "csv",
        _csv(FULL_HEADER, ["A", "Council", "P", "stray"]),
        "The data row has 4 cells but the header row names only 3.",
    ),
    "a CSV with one item given twice": (
        "csv",
        _csv([*FULL_HEADER, "risk_name", "risk_name_1"], ["A", "Council", "P", "x", "y"]),
        "Column “risk_name_1” is the same field as Column “risk_name”",
    ),
}


@pytest.mark.parametrize(
    ("fmt", "text", "problem"), BAD_DOCUMENTS.values(), ids=BAD_DOCUMENTS.keys()
)
def test_a_malformed_record_is_explained_and_creates_nothing(db, fmt, text, problem):
    read = atrs.read_json if fmt == "json" else atrs.read_csv

    record = read(text)
    system, problems = atrs.import_record(text, fmt)

    assert any(problem in message for message in record.problems), record.problems
    assert system is None
    assert problems == record.problems
    assert not System.objects.exists()


def test_an_unknown_format_is_refused(db):
    assert atrs.import_record("{}", "xml") == (None, ["Unknown format “xml”; use json or csv."])


# --- Choices ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "given", "stored"),
    [
        ("phase", "beta_pilot", "beta_pilot"),
        ("phase", "Beta or pilot", "beta_pilot"),
        ("phase", "beta/pilot", "beta_pilot"),
        ("phase", "BETA/PILOT", "beta_pilot"),
        ("phase", "Pre-deployment", "pre_deployment"),
        ("status", "In use", "in_use"),
        ("organisation_type", "agency or other public body", "agency_or_public_body"),
        ("function", "Recreation, culture and religion", "recreation_culture_and_religion"),
        ("capability", "computer vision", "computer_vision"),
        ("ai_act_classification", "Exempted under Article 6(3)", "exempted_6_3"),
        ("ai_act_classification", "high-risk", "high_risk"),
    ],
)
def test_a_choice_is_read_from_its_stored_value_or_its_label(field, given, stored):
    text = _csv([*FULL_HEADER, field], ["RBV", "Council", "P", given])

    record = atrs.read_csv(text)

    assert record.problems == []
    assert record.fields[field] == stored


def test_a_uk_style_date_from_a_spreadsheet_is_read():
    record = atrs.read_csv(_csv([*FULL_HEADER, "date_published"], ["A", "B", "P", "14/03/2025"]))

    assert record.fields["date_published"] == datetime.date(2025, 3, 14)


# --- Import into the register ----------------------------------------------------------------


def test_a_new_system_gets_a_unique_slug_from_its_name(full_system):
    document = atrs.export_json(full_system)

    first, _ = atrs.import_record(document, "json")
    second, _ = atrs.import_record(document, "json")
    chosen, _ = atrs.import_record(document, "json", slug="rbv")

    assert first.slug == "cyngor-risk-based-verification-rbv"
    assert second.slug == "cyngor-risk-based-verification-rbv-2"
    assert chosen.slug == "rbv-2"


def test_importing_into_an_existing_system_updates_it_in_place(bare_system, jury):
    bare_system.juries.add(jury)
    document = _csv(
        ["name", "phase", "risk_name_1", "risk_mitigation_1"],
        ["Bare, renamed", "production", "Drift", "Retrain yearly"],
    )

    system, problems = atrs.import_record(document, "csv", system=bare_system)

    assert problems == []
    assert system.pk == bare_system.pk
    system = System.objects.get(pk=bare_system.pk)
    assert (system.slug, system.name, system.phase) == ("bare", "Bare, renamed", "production")
    assert system.risks == [{"name": "Drift", "description": "", "mitigation": "Retrain yearly"}]
    assert system.purpose == "To see what is missing."
    assert list(system.juries.all()) == [jury]
    assert (system.source_format, system.source_document) == ("csv", document)
    assert System.objects.count() == 1


def test_a_rejected_update_leaves_the_system_as_it_was(full_system):
    before = _values(full_system)
    document = _nested(tier_1={"name": "New name", "website": "not a web address"})

    system, problems = atrs.import_record(document, "json", system=full_system)

    assert system is None
    assert problems
    assert _values(full_system) == before
    full_system.refresh_from_db()
    assert _values(full_system) == before


def test_a_value_the_model_refuses_is_reported_and_nothing_changes(full_system):
    before = _values(full_system)
    document = atrs.export_json(full_system)

    system, problems = atrs.import_record(
        document, "json", system=full_system, overrides={"status": "abandoned"}
    )

    assert system is None
    assert problems == ["“status”: Value 'abandoned' is not a valid choice."]
    assert _values(full_system) == before
    assert full_system.source_document == ""
