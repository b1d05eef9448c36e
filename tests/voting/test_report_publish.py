"""Publishing the report, correcting it, its PDF, and why a published report never changes."""

import hashlib
import json

import pytest

from juries.models import AuditEntry, JuryEvent, Stage, StageChange
from voting import report_files, reports
from voting.models import Report, ReportFile, ReportFileState, ReportFormat
from voting.models.reports import ReportIsFrozen

from .report_setup import ready_for_report


@pytest.fixture
def ready(jury, facilitator, juror, other_juror, oversight, make_recommendation):
    return ready_for_report(jury, facilitator, make_recommendation)


def _file(report, fmt):
    return report.files.get(format=fmt)


def test_publishing_freezes_json_and_csv_whose_bytes_hash_to_the_stored_sha256(
    jury, facilitator, ready
):
    report = reports.publish_report(jury, facilitator)
    json_file = _file(report, ReportFormat.JSON)
    csv_file = _file(report, ReportFormat.CSV)
    assert report.version == 1
    assert json_file.state == csv_file.state == ReportFileState.READY
    assert hashlib.sha256(bytes(json_file.data)).hexdigest() == json_file.sha256 == report.sha256
    assert hashlib.sha256(bytes(csv_file.data)).hexdigest() == csv_file.sha256
    # The JSON download is exactly the canonical form of the stored content.
    assert bytes(json_file.data) == reports.canonical_json(report.content)
    assert json.loads(bytes(json_file.data))["recommendations"][0]["number"] == 1
    assert _file(report, ReportFormat.PDF).state == ReportFileState.QUEUED


def test_publishing_moves_the_jury_to_the_response_stage_and_is_recorded(jury, facilitator, ready):
    reports.publish_report(jury, facilitator)
    jury.refresh_from_db()
    assert jury.stage == Stage.RESPONSE
    assert StageChange.objects.filter(jury=jury, to_stage=Stage.RESPONSE).exists()
    assert AuditEntry.objects.filter(jury=jury, action="report.publish", actor=facilitator).exists()
    assert JuryEvent.objects.filter(jury=jury, kind="report.published").exists()


def test_jurors_and_oversight_members_are_emailed_once_it_is_committed(
    jury,
    facilitator,
    juror,
    other_juror,
    oversight,
    ready,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        reports.publish_report(jury, facilitator)
    to = sorted(address for message in mailoutbox for address in message.to)
    assert to == sorted([juror.email, other_juror.email, oversight.email])
    board = next(m for m in mailoutbox if m.to == [oversight.email])
    assert "is published" in board.subject
    assert "/report/v1/" in board.body
    assert "please answer each recommendation" in board.body


def test_publishing_needs_the_report_stage_and_a_closed_vote(
    jury, facilitator, make_recommendation, at_stage
):
    at_stage(Stage.REPORT)
    with pytest.raises(reports.ReportError, match="vote has closed"):
        reports.publish_report(jury, facilitator)
    ready_for_report(jury, facilitator, make_recommendation, stage=Stage.DECISION)
    with pytest.raises(reports.ReportError, match="report stage"):
        reports.publish_report(jury, facilitator)
    assert not Report.objects.exists()


def test_publishing_waits_for_the_priority_ranking_to_close(jury, facilitator, ready):
    vote = ready["vote"]
    vote.ranking_closed_at = None
    vote.ranking_result = None
    vote.save()
    with pytest.raises(reports.ReportError, match="ranking is still open"):
        reports.publish_report(jury, facilitator)
    assert not Report.objects.exists()


def test_publishing_twice_without_a_correction_is_refused_and_changes_nothing(
    jury, facilitator, ready, at_stage
):
    first = reports.publish_report(jury, facilitator)
    at_stage(Stage.REPORT)  # even if someone moved the jury back
    with pytest.raises(ReportIsFrozen):
        reports.publish_report(jury, facilitator)
    assert list(Report.objects.values_list("pk", "sha256")) == [(first.pk, first.sha256)]
    assert ReportFile.objects.count() == 3


def test_a_published_report_cannot_be_changed_or_deleted_through_the_model(
    jury, facilitator, ready
):
    report = reports.publish_report(jury, facilitator)
    report.content = {"recommendations": []}
    with pytest.raises(ReportIsFrozen):
        report.save()
    with pytest.raises(ReportIsFrozen):
        report.delete()
    stored = Report.objects.get(pk=report.pk)
    assert stored.content["recommendations"]
    json_file = _file(stored, ReportFormat.JSON)
    json_file.data = b"{}"
    with pytest.raises(ReportIsFrozen):
        json_file.save()
    assert bytes(_file(stored, ReportFormat.JSON).data) == reports.canonical_json(stored.content)


def test_a_queryset_update_or_delete_raises_and_changes_nothing(jury, facilitator, ready):
    report = reports.publish_report(jury, facilitator)
    with pytest.raises(ReportIsFrozen):
        Report.objects.filter(pk=report.pk).update(sha256="0" * 64, reason="tampered")
    with pytest.raises(ReportIsFrozen):
        Report.objects.filter(pk=report.pk).delete()
    stored = Report.objects.get(pk=report.pk)
    assert (stored.sha256, stored.reason) == (report.sha256, "")


def test_a_correction_needs_a_reason(jury, facilitator, ready):
    reports.publish_report(jury, facilitator)
    with pytest.raises(reports.ReportError, match="why"):
        reports.publish_correction(jury, facilitator, "   ")
    assert Report.objects.count() == 1


def test_a_correction_before_any_publication_is_refused(jury, facilitator, ready):
    with pytest.raises(reports.ReportError, match="no published report"):
        reports.publish_correction(jury, facilitator, "Typo.")
    assert not Report.objects.exists()


def test_a_correction_is_a_new_version_and_the_first_stays_as_it_was(
    jury, facilitator, ready, mailoutbox, django_capture_on_commit_callbacks
):
    first = reports.publish_report(jury, facilitator)
    ready["first"].statement = "Publish the error rates every six months."
    ready["first"].save()
    with django_capture_on_commit_callbacks(execute=True):
        second = reports.publish_correction(jury, facilitator, "Recommendation 1 was mistyped.")
    assert second.version == 2
    assert second.reason == "Recommendation 1 was mistyped."
    assert second.content["correction_reason"] == "Recommendation 1 was mistyped."
    assert second.content["recommendations"][0]["statement"].endswith("every six months.")
    assert second.content["response_deadline"] == first.content["response_deadline"]
    again = Report.objects.get(pk=first.pk)
    assert again.sha256 == first.sha256
    assert again.content["recommendations"][0]["statement"].endswith("every year.")
    assert second.sha256 != first.sha256
    assert AuditEntry.objects.filter(action="report.correct").count() == 1
    assert any("version 2" in m.subject for m in mailoutbox)
    jury.refresh_from_db()
    assert jury.stage == Stage.RESPONSE


def test_the_pdf_is_made_in_the_background_and_its_bytes_hash_to_the_stored_sha256(
    jury, facilitator, ready, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.publish_report(jury, facilitator)
    pdf = _file(report, ReportFormat.PDF)
    assert pdf.state == ReportFileState.READY
    assert pdf.progress == 100
    data = bytes(pdf.data)
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == pdf.sha256
    assert pdf.made_at is not None


def test_the_pdf_shows_its_progress_while_it_is_made(jury, facilitator, ready, monkeypatch):
    report = reports.publish_report(jury, facilitator)
    seen = []

    def fake_render(report):
        row = ReportFile.objects.get(report=report, format=ReportFormat.PDF)
        seen.append((row.state, row.progress))
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(report_files, "render_pdf", fake_render)
    pdf = _file(report, ReportFormat.PDF)
    report_files.make_pdf.call(file_id=pdf.pk)
    assert seen == [(ReportFileState.MAKING, 30)]
    pdf.refresh_from_db()
    assert (pdf.state, pdf.progress) == (ReportFileState.READY, 100)


def test_a_pdf_that_cannot_be_made_is_marked_failed_with_a_short_reason_and_can_be_retried(
    jury, facilitator, ready, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(report):
        raise RuntimeError("fonts missing " + "x" * 500)

    monkeypatch.setattr(report_files, "render_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.publish_report(jury, facilitator)
    pdf = _file(report, ReportFormat.PDF)
    assert pdf.state == ReportFileState.FAILED
    assert pdf.error.startswith("RuntimeError: fonts missing")
    assert len(pdf.error) <= 300
    assert pdf.sha256 == ""
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert report_files.retry_pdf(pdf, facilitator) is True
    pdf.refresh_from_db()
    assert pdf.state == ReportFileState.READY
    assert bytes(pdf.data).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="report.pdf-retry").exists()


def test_a_ready_pdf_is_not_made_again(
    jury, facilitator, ready, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.publish_report(jury, facilitator)
    pdf = _file(report, ReportFormat.PDF)
    assert report_files.retry_pdf(pdf, facilitator) is False
    report_files.make_pdf.call(file_id=pdf.pk)
    assert _file(report, ReportFormat.PDF).sha256 == pdf.sha256


def test_the_pdf_is_tagged_for_screen_readers_with_the_report_language_and_title(
    jury, facilitator, ready
):
    report = reports.publish_report(jury, facilitator)
    data = report_files.render_pdf(report, uncompressed_pdf=True)

    assert data.startswith(b"%PDF")
    assert b"/StructTreeRoot" in data  # headings, lists and tables are tagged
    assert b"/MarkInfo" in data
    assert b"/Lang (en" in data
    assert b"/H1" in data


def test_publishing_ends_the_jury_so_the_panels_access_needs_are_deleted(jury, facilitator, ready):
    from juries.models import Volunteer, VolunteerSource

    needs = Volunteer.objects.create(
        jury=jury,
        name="Pat",
        email="pat@example.org",
        source=VolunteerSource.FORM,
        access_needs="Large print papers",
    )
    reports.publish_report(jury, facilitator)
    needs.refresh_from_db()
    assert needs.access_needs == ""
    assert AuditEntry.objects.filter(jury=jury, action="volunteers.forget_access_needs").exists()
