"""A published report is an entry in the jury's audit chain, and carries the chain's head.

Tried as an insider with direct database access: on PostgreSQL the database refuses to change a
published report or its files; where the refusal is switched off (or on SQLite), the verify page
still refuses a report rewritten in SQL, because it checks against the hashes the chain recorded.
"""

import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from juries import audit
from juries.models import AuditEntry
from tests.juries.audit_helpers import insider, on_postgresql, verify_audit
from voting import reports
from voting.models import Report, ReportFile, ReportFileState, ReportFormat

from .report_setup import ready_for_report


@pytest.fixture
def ready(jury, facilitator, juror, other_juror, oversight, make_recommendation):
    return ready_for_report(jury, facilitator, make_recommendation)


@pytest.fixture
def published(jury, facilitator, ready, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return reports.publish_report(jury, facilitator)


def verify_url(jury):
    return reverse("voting:report-verify", args=[jury.slug])


def check(client, jury, data):
    upload = SimpleUploadedFile("mine.json", data, content_type="application/json")
    return client.post(verify_url(jury), {"file": upload}).content.decode()


def test_the_reports_json_holds_the_head_of_the_chain_before_its_own_entry(
    jury, facilitator, ready
):
    audit.record(actor=facilitator, action="test.step", summary="Before.", jury=jury)
    before = audit.head(jury)

    report = reports.publish_report(jury, facilitator)

    assert report.content["audit_chain"] == {"entries": before.length, "head_sha256": before.hash}
    assert before.length > 0
    entry = AuditEntry.objects.get(jury=jury, action="report.publish")
    assert entry.seq > before.length


def test_publishing_records_each_files_hash_in_the_chain_and_the_pdfs_when_made(
    jury, facilitator, published
):
    files = {file.format: file.sha256 for file in published.files.all()}

    publish = AuditEntry.objects.get(jury=jury, action="report.publish")
    pdf = AuditEntry.objects.get(jury=jury, action="report.pdf-made")

    assert publish.data == {
        "report": 1,
        "sha256": published.sha256,
        "files": {"csv": files["csv"], "json": files["json"]},
    }
    assert pdf.data == {"report": 1, "files": {"pdf": files["pdf"]}}
    assert not verify_audit()[1]


def test_a_correction_is_recorded_in_the_chain_with_its_hashes(jury, facilitator, published):
    correction = reports.publish_correction(jury, facilitator, "A typo in recommendation 1.")

    entry = AuditEntry.objects.get(jury=jury, action="report.correct")
    assert entry.data["report"] == 2
    assert entry.data["files"]["json"] == correction.sha256
    assert correction.content["audit_chain"]["entries"] >= entry.seq - 1


def test_the_verify_page_accepts_the_published_file(client, jury, juror, published):
    client.force_login(juror)
    data = bytes(published.files.get(format=ReportFormat.JSON).data)

    page = check(client, jury, data)

    assert "It matches" in page
    assert "as the jury's audit log recorded it when it was published" in page


def _rewrite_json(report, content):
    """What an insider with the database would do: a new JSON with its own, consistent hash,
    written over the report and its JSON file."""
    data = reports.canonical_json(content)
    digest = hashlib.sha256(data).hexdigest()
    with insider() as cursor:
        cursor.execute(
            "UPDATE voting_report SET content = %s, sha256 = %s WHERE id = %s",
            [json.dumps(content), digest, report.pk],
        )
        cursor.execute(
            "UPDATE voting_reportfile SET data = %s, sha256 = %s WHERE report_id = %s "
            "AND format = 'json'",
            [data, digest, report.pk],
        )
    return data


def test_the_verify_page_refuses_a_report_rewritten_in_sql(client, jury, juror, published):
    original = bytes(published.files.get(format=ReportFormat.JSON).data)
    content = dict(published.content)
    content["recommendations"] = content["recommendations"][1:]
    forged = _rewrite_json(published, content)
    client.force_login(juror)

    page = check(client, jury, forged)

    assert "It does not match the published record" in page
    assert "The stored copy was changed after publication" in page
    assert "It matches no published file" not in page
    page = check(client, jury, original)
    assert "It is the published file, but the stored copy has changed" in page


def test_the_verify_page_refuses_a_report_whose_chain_entry_was_rewritten_too(
    client, jury, juror, published
):
    content = dict(published.content, correction_reason="Nothing happened.")
    forged = _rewrite_json(published, content)
    entry = AuditEntry.objects.get(jury=jury, action="report.publish")
    data = dict(entry.data, sha256=hashlib.sha256(forged).hexdigest())
    data["files"] = dict(data["files"], json=data["sha256"])
    with insider() as cursor:
        cursor.execute(
            "UPDATE juries_auditentry SET data = %s WHERE id = %s", [json.dumps(data), entry.pk]
        )
    client.force_login(juror)

    page = check(client, jury, forged)

    assert "It does not match the published record" in page
    output, failed = verify_audit()
    assert failed and f"entry {entry.pk}" in output


@on_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE voting_report SET sha256 = repeat('0', 64) WHERE id = %(report)s",
        "UPDATE voting_report SET content = '{}'::jsonb WHERE id = %(report)s",
        "DELETE FROM voting_report WHERE id = %(report)s",
        "UPDATE voting_reportfile SET data = 'x'::bytea WHERE id = %(file)s",
        "UPDATE voting_reportfile SET sha256 = '' WHERE id = %(file)s",
        "DELETE FROM voting_reportfile WHERE id = %(file)s",
    ],
)
def test_the_database_refuses_to_change_or_delete_a_published_report_or_its_file(published, sql):
    json_file = published.files.get(format=ReportFormat.JSON)

    with (
        pytest.raises(DatabaseError, match="refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, {"report": published.pk, "file": json_file.pk})

    assert Report.objects.get(pk=published.pk).sha256 == published.sha256
    assert ReportFile.objects.get(pk=json_file.pk).sha256 == json_file.sha256


@on_postgresql
def test_the_database_lets_a_pdf_being_made_move_on(jury, facilitator, ready):
    report = reports.publish_report(jury, facilitator)  # the PDF stays queued: not committed
    pdf = report.files.get(format=ReportFormat.PDF)

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE voting_reportfile SET state = 'making', progress = 30 WHERE id = %s", [pdf.pk]
        )

    assert ReportFile.objects.get(pk=pdf.pk).state == ReportFileState.MAKING


def test_the_verify_page_refuses_a_report_whose_chain_entry_was_removed(
    client, jury, juror, published
):
    entry = AuditEntry.objects.get(jury=jury, action="report.publish")
    with insider() as cursor:
        cursor.execute("DELETE FROM juries_auditentry WHERE id = %s", [entry.pk])
    client.force_login(juror)

    page = check(client, jury, bytes(published.files.get(format=ReportFormat.JSON).data))

    assert "It does not match the published record" in page


def test_a_report_published_before_the_chain_recorded_hashes_is_checked_against_its_copy(
    client, jury, facilitator, juror
):
    data = b'{"version": 1}\n'
    report = Report.objects.create(
        jury=jury,
        version=1,
        content={"version": 1},
        sha256=hashlib.sha256(data).hexdigest(),
        published_at=timezone.now(),
        published_by=facilitator,
    )
    ReportFile.objects.create(report=report, format=ReportFormat.JSON, data=data, state="ready")
    # As publishing wrote it before issue 12: a summary, no recorded hashes.
    audit.record(
        actor=facilitator, action="report.publish", summary="Published.", jury=jury, target=report
    )
    client.force_login(juror)

    page = check(client, jury, data)

    assert "It matches" in page
    assert "so it is checked against the stored copy only" in page
