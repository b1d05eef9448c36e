"""The report's pages refuse what they cannot use with a clear answer, never an error page: a
version number too long to be one, and an upload too large to be a copy of the report (refused
from its declared length, before anything is read)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from voting import report_files, reports
from voting.forms.reports import VERIFY_MAX_BYTES

from .report_setup import ready_for_report

TOO_LONG = "9" * 5000  # int() refuses strings of more than 4300 digits
TEN_DIGITS = "1" + "0" * 9


@pytest.fixture
def published(jury, facilitator, juror, other_juror, make_recommendation, monkeypatch):
    monkeypatch.setattr(report_files, "render_pdf", lambda report: b"%PDF-1.7 stand-in")
    ready_for_report(jury, facilitator, make_recommendation)
    return reports.publish_report(jury, facilitator)


def verify_url(jury):
    return reverse("voting:report-verify", args=[jury.slug])


@pytest.mark.parametrize("number", [TOO_LONG, TEN_DIGITS])
@pytest.mark.parametrize(
    ("method", "tail"),
    [
        ("get", "/"),
        ("get", ".json"),
        ("get", ".pdf"),
        ("get", "/pdf/status/"),
        ("post", "/pdf/retry/"),
    ],
)
def test_a_version_number_too_long_to_be_one_is_not_found(
    client, jury, facilitator, published, method, tail, number
):
    client.force_login(facilitator)
    response = getattr(client, method)(f"/juries/{jury.slug}/report/v{number}{tail}")
    assert response.status_code == 404


def test_the_longest_version_number_allowed_still_finds_nothing_quietly(
    client, jury, juror, published
):
    client.force_login(juror)
    assert client.get(f"/juries/{jury.slug}/report/v999999999.json").status_code == 404
    assert client.get(f"/juries/{jury.slug}/report/v1.json").status_code == 200
    assert client.get(f"/juries/{jury.slug}/report/v1.exe").status_code == 404


def huge_post(client, jury):
    """A POST declaring a body far beyond the limit but carrying a few bytes: reading it would
    fail, so a 413 shows that nothing was read."""
    return client.generic(
        "POST",
        verify_url(jury),
        b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(VERIFY_MAX_BYTES + 64 * 1024 + 1),
    )


def test_an_upload_too_large_is_refused_before_it_is_read_with_a_clear_message(
    client, jury, juror, published
):
    client.force_login(juror)
    response = huge_post(client, jury)
    assert response.status_code == 413
    page = response.content.decode()
    assert "There is a problem" in page
    assert "That file is larger than 20.0\xa0MB, so it cannot be a copy of this report." in page
    assert "It was not checked or kept." in page
    assert 'href="#id_file"' in page
    assert 'enctype="multipart/form-data"' in page  # the form is there to try another file


def test_the_size_is_checked_before_the_csrf_check_reads_the_form_which_still_applies(
    jury, juror, published
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(juror)
    assert huge_post(client, jury).status_code == 413
    upload = SimpleUploadedFile("mine.json", b"{}")
    assert client.post(verify_url(jury), {"file": upload}).status_code == 403
    client.get(verify_url(jury))
    token = client.cookies["csrftoken"].value
    upload = SimpleUploadedFile("mine.json", b"{}")
    response = client.post(verify_url(jury), {"file": upload, "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "It matches no published file" in response.content.decode()


def test_an_upload_just_within_the_early_limit_gets_the_forms_own_message(
    client, jury, juror, published
):
    client.force_login(juror)
    huge = SimpleUploadedFile("big.pdf", b"0" * (VERIFY_MAX_BYTES + 1))
    response = client.post(verify_url(jury), {"file": huge})
    assert response.status_code == 400
    assert "cannot be a copy of this report" in response.content.decode()
