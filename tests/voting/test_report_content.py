"""The report's content: built from the jury's own data, as documented by its JSON Schema."""

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from voting import dissent as dissent_service
from voting import reports
from voting.models import RecommendationState

from .report_setup import ready_for_report

SCHEMA = json.loads((Path(reports.__file__).parent / "report_schema.json").read_text())
WHEN = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def ready(jury, facilitator, juror, other_juror, make_recommendation):
    return ready_for_report(jury, facilitator, make_recommendation)


def _check(value, schema, where="$"):
    """A small validator for the parts of JSON Schema the report's schema uses, so the schema
    and the content cannot drift apart unnoticed (the project has no jsonschema dependency)."""
    if "oneOf" in schema:
        passing = [option for option in schema["oneOf"] if not _errors(value, option, where)]
        assert len(passing) == 1, f"{where}: {value!r} matches {len(passing)} options"
        return
    if "const" in schema:
        assert value == schema["const"], where
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r}"
    kinds = schema.get("type")
    if kinds:
        kinds = kinds if isinstance(kinds, list) else [kinds]
        python = {
            "object": dict,
            "array": list,
            "string": str,
            "integer": int,
            "number": (int, float),
            "null": type(None),
            "boolean": bool,
        }
        assert any(
            isinstance(value, python[kind]) and not (kind == "integer" and isinstance(value, bool))
            for kind in kinds
        ), f"{where}: {value!r} is not {kinds}"
    if isinstance(value, dict) and "properties" in schema:
        assert set(schema.get("required", [])) <= set(value), f"{where}: missing keys"
        if schema.get("additionalProperties") is False:
            assert set(value) <= set(schema["properties"]), f"{where}: {set(value)}"
        for key, item in value.items():
            _check(item, schema["properties"][key], f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            _check(item, schema["items"], f"{where}[{index}]")


def _errors(value, schema, where):
    try:
        _check(value, schema, where)
    except AssertionError as error:
        return [str(error)]
    return []


def test_the_content_describes_the_jury_its_system_and_how_it_was_run(jury, ready, settings):
    content = reports.build_content(jury)
    assert content["schema_version"] == 1
    assert content["version"] == 1
    assert content["jury"]["title"] == jury.title
    assert content["jury"]["remit"] == jury.remit
    assert content["jury"]["oversight_body"]["name"] == "Benefits Oversight Board"
    assert content["systems"] == [
        {
            "name": "Fraud risk score",
            "organisation": "Department for Benefits",
            "purpose": "Picks claims to check by hand.",
            "url": settings.SITE_URL + "/register/fraud-risk/",
        }
    ]
    process = content["process"]
    assert [(s["from"], s["to"]) for s in process["stages"]] == [("drafting", "decision")]
    # Only sittings held before publication; only items of published packs.
    assert [s["title"] for s in process["sittings"]] == ["Opening sitting"]
    assert process["witnesses"] == [
        {"name": "Dr Ada Shaw", "role": "Statistician", "standpoint": "expert"}
    ]
    assert [(e["title"], e["provided_by"], e["standpoint"]) for e in process["evidence"]] == [
        ("How the score works", "Department for Benefits", "commissioning")
    ]
    assert process["evidence"][0]["url"].startswith(settings.SITE_URL + "/juries/")


def test_each_recommendation_carries_its_counts_outcome_citations_and_priority(jury, ready):
    content = reports.build_content(jury, published_at=WHEN)
    first, second = content["recommendations"]
    assert first["number"] == 1
    assert first["theme"] == "Openness"
    assert first["statement"] == "Publish the error rates every year."
    assert first["citations"][0]["title"] == "How the score works"
    assert first["result"]["counts"]["strongly_support"] == 1
    assert first["result"]["counts"]["support"] == 1
    assert first["result"]["ballots"] == 2
    assert first["result"]["turnout_percent"] == 100.0
    assert first["result"]["support_percent"] == 100.0
    assert first["result"]["outcome"] == "adopted"
    assert first["result"]["reasons"] == ["People deserve to know."]
    assert first["priority"] == 1
    assert second["result"]["outcome"] == "not_adopted"
    assert second["result"]["support_percent"] == 0.0
    assert second["priority"] is None
    rules = content["vote"]["rules"]
    assert (rules["threshold_percent"], rules["quorum_percent"]) == (80, 75)
    assert rules["ranking_method"] == "schulze"


def test_withdrawn_recommendations_are_left_out(jury, ready):
    ready["second"].state = RecommendationState.WITHDRAWN
    ready["second"].save()
    numbers = [r["number"] for r in reports.build_content(jury)["recommendations"]]
    assert numbers == [1]


def test_dissent_is_published_with_signer_counts_and_a_hidden_one_only_by_its_reason(
    jury, ready, juror, other_juror, facilitator
):
    kept = dissent_service.write_dissent(jury, juror, "Too weak.", ready["first"])
    dissent_service.add_signature(kept, other_juror)
    hidden = dissent_service.write_dissent(jury, juror, "Names Mr X.", ready["first"])
    dissent_service.hide_dissent(hidden, facilitator, "Names a private person.")
    dissent_service.write_dissent(jury, other_juror, "The whole report is rushed.")
    content = reports.build_content(jury, published_at=WHEN)
    assert content["recommendations"][0]["dissent"] == [
        {"hidden": False, "text": "Too weak.", "signers": 2},
        {"hidden": True, "hidden_reason": "Names a private person."},
    ]
    assert "Names Mr X." not in reports.canonical_json(content).decode()
    assert content["report_dissent"] == [
        {"hidden": False, "text": "The whole report is rushed.", "signers": 1}
    ]


def test_sign_off_counts_and_the_response_deadline_are_in_the_content(jury, ready, juror):
    dissent_service.sign_off(jury, juror, "confirm")
    jury.response_weeks = 6
    jury.save()
    content = reports.build_content(jury, published_at=WHEN)
    assert content["sign_off"] == {"jurors": 2, "confirmed": 1, "objected": 0, "not_yet": 1}
    assert content["response_deadline"] == date(2025, 4, 12).isoformat()
    assert content["published_at"] == "2025-03-01T12:00:00+00:00"


def test_the_content_follows_its_published_schema(jury, ready, juror, facilitator):
    hidden = dissent_service.write_dissent(jury, juror, "Hidden.", ready["first"])
    dissent_service.hide_dissent(hidden, facilitator, "Legal.")
    dissent_service.write_dissent(jury, juror, "Kept.")
    _check(reports.build_content(jury, published_at=WHEN), SCHEMA)


def test_a_draft_without_a_closed_vote_still_follows_the_schema(jury, make_recommendation):
    make_recommendation()
    content = reports.build_content(jury, published_at=WHEN)
    assert content["vote"] is None
    assert content["recommendations"][0]["result"] is None
    _check(content, SCHEMA)


def test_the_schema_checker_catches_an_undocumented_field(jury, ready):
    content = reports.build_content(jury, published_at=WHEN)
    content["recommendations"][0]["secret"] = "x"
    with pytest.raises(AssertionError):
        _check(content, SCHEMA)


def test_the_same_data_gives_the_same_bytes(jury, ready):
    one = reports.canonical_json(reports.build_content(jury, published_at=WHEN))
    two = reports.canonical_json(reports.build_content(jury, published_at=WHEN))
    assert one == two
    assert one.endswith(b"}\n")
    assert json.loads(one)["jury"]["slug"] == jury.slug


def test_the_csv_has_one_row_per_recommendation_with_its_counts(jury, ready):
    data = reports.csv_bytes(reports.build_content(jury, published_at=WHEN))
    assert data.startswith("\ufeff".encode())
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Number,Theme,Recommendation")
    assert lines[1].startswith("1,Openness,Publish the error rates every year.")
    assert ",Adopted," in lines[1]
    assert ",Not adopted," in lines[2]
    assert len(lines) == 3
