"""While the PDF is made: the version page says how far it has got in a status region, without
reloading itself (WCAG 2.2.1), asks again for that region only, and lets a facilitator take over
a PDF whose worker died."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from juries.models import AuditEntry
from tests.conftest import sign_in_recently
from voting import report_files, reports
from voting.models import ReportFile, ReportFileState, ReportFormat

from .report_setup import ready_for_report

STAND_IN = b"%PDF-1.7 stand-in"


@pytest.fixture
def report(jury, facilitator, juror, other_juror, make_recommendation, monkeypatch):
    """Version 1, its PDF still waiting (on-commit callbacks are not run)."""
    monkeypatch.setattr(report_files, "render_pdf", lambda report: STAND_IN)
    ready_for_report(jury, facilitator, make_recommendation)
    return reports.publish_report(jury, facilitator)


def pdf_of(report):
    return ReportFile.objects.get(report=report, format=ReportFormat.PDF)


def set_pdf(report, **fields):
    ReportFile.objects.filter(report=report, format=ReportFormat.PDF).update(**fields)


def url(name, jury, *args):
    return reverse(f"voting:{name}", args=[jury.slug, *args])


def status_region(page):
    match = re.search(r'<p id="pdf-status" role="status">(.*?)</p>', page, re.S)
    assert match, "no status region"
    return match.group(1)


def test_the_page_waiting_for_the_pdf_does_not_reload_itself_but_says_so_in_a_status_region(
    client, jury, juror, report
):
    client.force_login(juror)
    page = client.get(url("report-version", jury, 1)).content.decode()
    assert "http-equiv" not in page
    assert "reloads by itself" not in page
    region = status_region(page)
    assert "The PDF is waiting to be made." in region
    poll = url("report-pdf-status", jury, 1) + "?seen=queued-0"
    assert f'data-hx-get="{poll}" data-hx-trigger="every 5s" data-hx-swap="outerHTML"' in region
    check_again = re.search(r'<a href="([^"]+)">Check again</a>', page)
    assert check_again, "no plain link to check again"
    assert check_again.group(1).startswith(url("report-version", jury, 1) + "?check=")
    assert check_again.group(1).endswith("#pdf-status")
    assert client.get(check_again.group(1)).status_code == 200


def test_anonymous_readers_of_a_public_jury_get_htmx_for_the_region_members_get_it_anyway(
    client, jury, juror, report
):
    jury.visibility = "public"
    jury.save(update_fields=["visibility"])
    page = client.get(url("report-version", jury, 1)).content.decode()
    assert page.count("htmx-2.min.js") == 1
    client.force_login(juror)
    assert client.get(url("report-version", jury, 1)).content.decode().count("htmx-2.min.js") == 1


def test_the_region_on_its_own_answers_204_until_it_has_something_new_to_say(
    client, jury, juror, report
):
    client.force_login(juror)
    status = url("report-pdf-status", jury, 1)
    assert client.get(status + "?seen=queued-0").status_code == 204
    set_pdf(report, state=ReportFileState.MAKING, progress=30, made_at=timezone.now())
    response = client.get(status + "?seen=queued-0")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "The PDF is being made: 30% done." in fragment
    assert "<html" not in fragment
    assert 'id="pdf-status-text"' in fragment and "?seen=making-30" in fragment
    assert client.get(status + "?seen=making-30").status_code == 204


def test_once_the_pdf_is_ready_the_region_offers_it_and_stops_asking(client, jury, juror, report):
    report_files.make_pdf.call(file_id=pdf_of(report).pk)
    client.force_login(juror)
    fragment = client.get(url("report-pdf-status", jury, 1) + "?seen=making-30").content.decode()
    assert "The PDF is ready." in fragment
    assert url("report-download", jury, 1, "pdf") in fragment
    assert "hx-get" not in fragment and "hx-trigger" not in fragment
    page = client.get(url("report-version", jury, 1)).content.decode()
    assert 'id="pdf-status"' not in page and "Check again" not in page


def test_a_failed_pdf_is_said_once_in_the_region_without_asking_again(client, jury, juror, report):
    set_pdf(report, state=ReportFileState.FAILED, error="Boom")
    client.force_login(juror)
    region = status_region(client.get(url("report-version", jury, 1)).content.decode())
    assert "The PDF could not be made." in region
    assert "hx-get" not in region


# --- A PDF whose worker died ----------------------------------------------------------------


def test_a_pdf_stuck_being_made_for_over_10_minutes_can_be_taken_over_by_a_facilitator(
    client, jury, facilitator, juror, report, django_capture_on_commit_callbacks
):
    set_pdf(
        report,
        state=ReportFileState.MAKING,
        progress=30,
        made_at=timezone.now() - timedelta(minutes=11),
    )
    client.force_login(juror)
    page = client.get(url("report-version", jury, 1)).content.decode()
    assert "Making the PDF has stopped" in status_region(page)
    assert "hx-get" not in status_region(page)
    assert "Try making the PDF again" not in page
    sign_in_recently(client, facilitator)
    assert "Try making the PDF again" in client.get(url("report-version", jury, 1)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report-pdf-retry", jury, 1), follow=True)
    assert "The PDF will be made again." in response.content.decode()
    pdf = pdf_of(report)
    assert (pdf.state, bytes(pdf.data)) == (ReportFileState.READY, STAND_IN)
    entry = AuditEntry.objects.get(action="report.pdf-retry")
    assert entry.summary.startswith("Took over the PDF of version 1")


def test_a_pdf_being_made_recently_is_not_taken_over(client, jury, facilitator, report):
    set_pdf(
        report, state=ReportFileState.MAKING, progress=30, made_at=timezone.now() - timedelta(9)
    )
    assert report_files.retry_pdf(pdf_of(report), facilitator) is True  # 9 days: stuck
    set_pdf(
        report,
        state=ReportFileState.MAKING,
        progress=30,
        made_at=timezone.now() - timedelta(minutes=9),
    )
    assert report_files.retry_pdf(pdf_of(report), facilitator) is False
    client.force_login(facilitator)
    page = client.get(url("report-version", jury, 1)).content.decode()
    assert "Try making the PDF again" not in page
    assert "The PDF is being made: 30% done." in status_region(page)
    response = client.post(url("report-pdf-retry", jury, 1), follow=True)
    assert "nothing to retry" in response.content.decode()
    assert pdf_of(report).state == ReportFileState.MAKING


def test_a_run_that_was_taken_over_stops_and_leaves_the_pdf_to_the_new_one(
    jury, facilitator, report, monkeypatch
):
    def slow_render(shown):
        # The worker hangs here long enough to look dead, and a facilitator takes over.
        set_pdf(shown, made_at=timezone.now() - timedelta(minutes=11))
        assert report_files.retry_pdf(pdf_of(shown), facilitator) is True
        return b"%PDF-1.7 from the run that was taken over"

    monkeypatch.setattr(report_files, "render_pdf", slow_render)
    report_files.make_pdf.call(file_id=pdf_of(report).pk)
    pdf = pdf_of(report)
    assert (pdf.state, pdf.sha256, pdf.data) == (ReportFileState.QUEUED, "", None)
    monkeypatch.setattr(report_files, "render_pdf", lambda shown: STAND_IN)
    report_files.make_pdf.call(file_id=pdf.pk)
    assert bytes(pdf_of(report).data) == STAND_IN


def test_progress_renews_the_lease_so_a_long_pdf_is_not_taken_for_dead(
    jury, facilitator, report, monkeypatch
):
    seen = []

    def render(shown):
        row = pdf_of(shown)
        seen.append((row.state, row.progress, report_files.is_stuck(row)))
        return STAND_IN

    monkeypatch.setattr(report_files, "render_pdf", render)
    report_files.make_pdf.call(file_id=pdf_of(report).pk)
    assert seen == [(ReportFileState.MAKING, 30, False)]
    pdf = pdf_of(report)
    assert pdf.state == ReportFileState.READY
    assert report_files.retry_pdf(pdf, facilitator) is False
