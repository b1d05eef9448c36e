"""The report's pages: the draft with sign-off, publishing, versions, downloads, checking a
downloaded copy, corrections, and who may see them."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from juries.models import Stage, Visibility
from tests.conftest import sign_in_recently
from voting import reports
from voting.forms.reports import VERIFY_MAX_BYTES
from voting.models import Report, ReportFile, ReportFileState, ReportFormat, SignOff

from .report_setup import ready_for_report


@pytest.fixture
def ready(jury, facilitator, juror, other_juror, oversight, make_recommendation):
    return ready_for_report(jury, facilitator, make_recommendation)


@pytest.fixture
def published(jury, facilitator, ready, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return reports.publish_report(jury, facilitator)


def url(name, jury, *args):
    return reverse(f"voting:{name}", args=[jury.slug, *args])


def shown_hashes(html):
    return set(re.findall(r"<code>([0-9a-f]{64})</code>", html))


# --- The draft and sign-off -----------------------------------------------------------------


def test_the_draft_shows_the_report_as_it_would_be_published_and_the_sign_off_counts(
    client, jury, juror, ready
):
    SignOff.objects.create(jury=jury, juror=juror, choice="object", note="Too soft.")
    client.force_login(juror)
    page = client.get(url("report", jury)).content.decode()
    assert "The report (draft)" in page
    assert "Publish the error rates every year." in page
    assert "0 confirmed, 1 objected, 1 not yet." in page
    assert "Your answer: I object to this text." in page
    assert 'name="choice"' in page
    assert "Publish the report" not in page


def test_observers_see_the_counts_but_no_sign_off_form(client, jury, observer, ready):
    client.force_login(observer)
    page = client.get(url("report", jury)).content.decode()
    assert "0 confirmed, 0 objected, 2 not yet." in page
    assert 'name="choice"' not in page


def test_a_juror_signs_off_and_can_change_their_answer(client, jury, juror, ready):
    client.force_login(juror)
    response = client.post(url("report-sign-off", jury), {"choice": "confirm", "note": ""})
    assert response.status_code == 302
    client.post(url("report-sign-off", jury), {"choice": "object", "note": "Rec 2."})
    assert SignOff.objects.get(jury=jury, juror=juror).choice == "object"
    assert "0 confirmed, 1 objected" in client.get(url("report", jury)).content.decode()


def test_a_sign_off_without_a_choice_is_shown_again_with_the_note_kept(client, jury, juror, ready):
    client.force_login(juror)
    response = client.post(url("report-sign-off", jury), {"note": "My careful note"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "My careful note" in page
    assert not SignOff.objects.exists()


# --- Publishing -----------------------------------------------------------------------------


def test_the_facilitator_is_told_publishing_cannot_be_undone(client, jury, facilitator, ready):
    client.force_login(facilitator)
    assert "Publish the report" in client.get(url("report", jury)).content.decode()
    page = client.get(url("report-publish", jury)).content.decode()
    assert "can never be changed afterwards" in page


def test_publishing_asks_the_facilitator_to_confirm_who_they_are(client, jury, facilitator, ready):
    client.force_login(facilitator)
    response = client.post(url("report-publish", jury))
    assert response.status_code == 302
    assert "reauthenticate" in response.url
    assert not Report.objects.exists()


def test_a_facilitator_who_signed_in_recently_publishes_and_lands_on_version_1(
    client, jury, facilitator, ready, django_capture_on_commit_callbacks
):
    sign_in_recently(client, facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report-publish", jury))
    assert response.status_code == 302
    assert response.url == url("report-version", jury, 1)
    assert Report.objects.get().version == 1


def test_publishing_again_through_the_page_is_refused_and_changes_nothing(
    client, jury, facilitator, published
):
    sign_in_recently(client, facilitator)
    response = client.post(url("report-publish", jury))
    assert response.status_code == 400
    assert "already published" in response.content.decode()
    assert Report.objects.count() == 1
    assert client.get(url("report-publish", jury)).url == url("report-correct", jury)


def test_after_publication_the_report_address_leads_to_the_latest_version(
    client, jury, juror, published
):
    client.force_login(juror)
    assert client.get(url("report", jury)).url == url("report-version", jury, 1)


# --- Versions and downloads -----------------------------------------------------------------


def test_the_version_page_shows_each_files_sha256_and_the_downloads_match_them(
    client, jury, juror, published
):
    client.force_login(juror)
    page = client.get(url("report-version", jury, 1)).content.decode()
    hashes = shown_hashes(page)
    assert published.sha256 in hashes
    assert len(hashes) == 3
    for fmt, kind in (
        ("json", "application/json"),
        ("csv", "text/csv"),
        ("pdf", "application/pdf"),
    ):
        response = client.get(url("report-download", jury, 1, fmt))
        assert response.status_code == 200
        assert response["Content-Type"].startswith(kind)
        assert response["Content-Disposition"] == (
            f'attachment; filename="{jury.slug}-report-v1.{fmt}"'
        )
        assert hashlib.sha256(response.content).hexdigest() in hashes
    pdf = client.get(url("report-download", jury, 1, "pdf")).content
    assert pdf.startswith(b"%PDF")


def test_the_version_page_is_an_accessible_report(client, jury, juror, published):
    client.force_login(juror)
    page = client.get(url("report-version", jury, 1)).content.decode()
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", page)]
    assert levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:], strict=False))
    assert "<caption>" in page
    assert 'scope="col"' in page
    assert "Ballots on recommendation 1, by level of agreement" in page
    assert "Strongly support" in page
    assert "Adopted" in page
    assert "Dr Ada Shaw" in page
    assert "Every version" in page


def test_the_pdf_cannot_be_downloaded_until_it_is_ready_and_the_page_says_so(
    client, jury, facilitator, juror, ready
):
    reports.publish_report(jury, facilitator)  # on-commit callbacks not run: the PDF waits
    client.force_login(juror)
    assert client.get(url("report-download", jury, 1, "pdf")).status_code == 404
    page = client.get(url("report-version", jury, 1)).content.decode()
    assert "http-equiv" not in page  # no automatic reload: see test_report_pdf_progress
    assert "Waiting to be made (0% done)" in page
    assert ">Check again</a>" in page
    assert len(shown_hashes(page)) == 2


def test_a_failed_pdf_is_a_message_for_readers_not_an_error(
    client, jury, facilitator, juror, ready
):
    report = reports.publish_report(jury, facilitator)
    ReportFile.objects.filter(report=report, format=ReportFormat.PDF).update(
        state=ReportFileState.FAILED, error="Boom"
    )
    client.force_login(juror)
    response = client.get(url("report-version", jury, 1))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The PDF could not be made" in page
    assert "Boom" not in page
    assert "http-equiv" not in page
    client.force_login(facilitator)
    assert "Try making the PDF again" in client.get(url("report-version", jury, 1)).content.decode()


def test_an_unknown_version_is_not_found(client, jury, juror, published):
    client.force_login(juror)
    assert client.get(url("report-version", jury, 7)).status_code == 404
    assert client.get(url("report-download", jury, 7, "json")).status_code == 404


def test_the_schema_is_served_as_json(client, jury, juror, published):
    client.force_login(juror)
    response = client.get(url("report-schema", jury))
    assert response["Content-Type"] == "application/schema+json"
    assert response.json()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# --- Checking a downloaded copy -------------------------------------------------------------


def test_a_downloaded_file_is_recognised_with_its_version_and_format(
    client, jury, juror, published
):
    client.force_login(juror)
    data = client.get(url("report-download", jury, 1, "pdf")).content
    upload = SimpleUploadedFile("mine.pdf", data, content_type="application/pdf")
    page = client.post(url("report-verify", jury), {"file": upload}).content.decode()
    assert "It matches" in page
    assert "The PDF of" in page and "version 1" in page


def test_a_changed_file_matches_nothing(client, jury, juror, published):
    client.force_login(juror)
    data = client.get(url("report-download", jury, 1, "json")).content.replace(b"1", b"2", 1)
    upload = SimpleUploadedFile("mine.json", data)
    response = client.post(url("report-verify", jury), {"file": upload})
    assert response.status_code == 200
    assert "It matches no published file" in response.content.decode()


def test_checking_without_a_file_or_with_a_huge_one_gives_a_clear_message(
    client, jury, juror, published
):
    client.force_login(juror)
    response = client.post(url("report-verify", jury), {})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    huge = SimpleUploadedFile("big.pdf", b"0" * (VERIFY_MAX_BYTES + 1))
    response = client.post(url("report-verify", jury), {"file": huge})
    assert response.status_code == 400
    assert "cannot be a copy of this report" in response.content.decode()


# --- Corrections ----------------------------------------------------------------------------


def test_a_correction_needs_a_reason_on_its_form(client, jury, facilitator, published):
    sign_in_recently(client, facilitator)
    response = client.post(url("report-correct", jury), {"reason": ""})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert Report.objects.count() == 1


def test_a_correction_makes_version_2_and_both_versions_stay_public(
    client, jury, facilitator, juror, published, django_capture_on_commit_callbacks
):
    sign_in_recently(client, facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report-correct", jury), {"reason": "A typo in rec 1."})
    assert response.url == url("report-version", jury, 2)
    client.force_login(juror)
    first = client.get(url("report-version", jury, 1)).content.decode()
    second = client.get(url("report-version", jury, 2)).content.decode()
    assert "This version was corrected by" in first
    assert "version 2" in first
    assert "A typo in rec 1." in second
    assert published.sha256 in shown_hashes(first)
    assert client.get(url("report", jury)).url == url("report-version", jury, 2)


# --- Who sees published versions -------------------------------------------------------------


def test_anyone_reads_and_downloads_the_report_of_a_public_jury(client, jury, published):
    jury.visibility = Visibility.PUBLIC
    jury.save()
    assert client.get(url("report-version", jury, 1)).status_code == 200
    assert client.get(url("report-download", jury, 1, "json")).status_code == 200
    assert client.get(url("report-verify", jury)).status_code == 200
    assert client.get(url("report", jury)).url == url("report-version", jury, 1)


def test_the_report_of_a_hidden_jury_is_for_its_members(
    client, jury, outsider, oversight, published
):
    assert jury.visibility == Visibility.HIDDEN
    response = client.get(url("report-version", jury, 1))
    assert response.status_code == 302 and reverse("account_login") in response.url
    client.force_login(outsider)
    for address in (
        url("report-version", jury, 1),
        url("report-download", jury, 1, "json"),
        url("report-verify", jury),
        url("report-schema", jury),
        url("report", jury),
    ):
        assert client.get(address).status_code == 404, address
    client.force_login(oversight)
    assert client.get(url("report-version", jury, 1)).status_code == 200


def test_the_version_page_asks_the_database_the_same_number_of_times_for_more_versions(
    client, jury, facilitator, juror, published, django_assert_max_num_queries
):
    client.force_login(juror)
    client.get(url("report-version", jury, 1))
    with django_assert_max_num_queries(20) as few:
        client.get(url("report-version", jury, 1))
    for number in range(4):
        reports.publish_correction(jury, facilitator, f"Fix {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("report-version", jury, 1))


def test_the_stage_moves_to_response_on_publication_through_the_page(
    client, jury, facilitator, ready
):
    sign_in_recently(client, facilitator)
    client.post(url("report-publish", jury))
    jury.refresh_from_db()
    assert jury.stage == Stage.RESPONSE


def test_the_draft_asks_the_same_number_of_queries_for_more_recommendations(
    client, jury, juror, other_juror, ready, make_recommendation, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from deliberate import threads
    from evidence.models import Question
    from voting import dissent as dissent_service
    from voting.models import Citation

    client.force_login(juror)
    client.get(url("report", jury))
    with CaptureQueriesContext(connection) as few:
        client.get(url("report", jury))
    thread = threads.start_thread(jury=jury, title="Talk", body="First", by=juror)
    for number in range(4):
        rec = make_recommendation(f"More {number}")
        Citation.objects.create(recommendation=rec, item=ready["item"])
        Citation.objects.create(
            recommendation=rec, question=Question.objects.create(jury=jury, text=f"Q{number}?")
        )
        Citation.objects.create(recommendation=rec, post=thread.posts.first())
        dissent = dissent_service.write_dissent(jury, juror, f"Dissent {number}", rec)
        dissent_service.add_signature(dissent, other_juror)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url("report", jury)).content.decode()
    assert "A post in the discussion “Talk”" in page
    assert "Dissent 3" in page


def _banner(user, jury):
    from django.template import Context, Template

    from juries.permissions import access_for

    template = Template("{% load report_tags %}{% report_banner access %}")
    return template.render(Context({"access": access_for(user, jury)}))


def test_the_banner_says_the_report_is_being_checked_then_that_it_is_published(
    jury, juror, facilitator, ready
):
    assert "being checked by jurors" in _banner(juror, jury)
    assert url("report", jury) in _banner(juror, jury)
    report = reports.publish_report(jury, facilitator)
    jury.refresh_from_db()
    html = _banner(juror, jury)
    assert "The report was published on" in html
    assert report.get_absolute_url() in html


def test_the_banner_says_nothing_before_the_report_stage(jury, juror, at_stage):
    at_stage(Stage.DECISION)
    assert _banner(juror, jury).strip() == ""


def test_a_correction_asks_the_facilitator_to_confirm_who_they_are(
    client, jury, facilitator, published
):
    client.force_login(facilitator)
    response = client.post(url("report-correct", jury), {"reason": "A typo."})
    assert response.status_code == 302
    assert "reauthenticate" in response.url
    assert Report.objects.count() == 1


def test_publishing_before_the_vote_closes_is_refused_with_a_message(
    client, jury, facilitator, at_stage
):
    at_stage(Stage.REPORT)
    sign_in_recently(client, facilitator)
    assert "The vote has not closed" in client.get(url("report-publish", jury)).content.decode()
    response = client.post(url("report-publish", jury))
    assert response.status_code == 400
    assert "once the vote has closed" in response.content.decode()
    assert not Report.objects.exists()
    jury.refresh_from_db()
    assert jury.stage == Stage.REPORT
