"""Checking evidence uploads: judged by content, never by name; stored under a name we choose."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from evidence.uploads import MAX_UPLOAD_BYTES, check_upload, detect, max_upload_bytes

MiB = 1024 * 1024

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00;"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
MP3_TAGGED = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + bytes(32)
MP3_FRAMES = b"\xff\xfb\x90\x64" + bytes(32)
MP3_MPEG2 = b"\xff\xf3\x48\xc4" + bytes(32)
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2\x00\x00\x00\x08free"
M4A = b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00M4A mp42isom\x00\x00\x00\x08free"
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm"
OGG = b"OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x12\x34\x56\x78\x00\x00\x00\x00"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x44\xac\x00\x00"

ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(20)
HTML = (
    b"<!DOCTYPE html><html><body><script>fetch('/steal?c='+document.cookie)</script></body></html>"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(48)
HEIC_PHOTO = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"

NOT_SHOWABLE = "This file is not a PDF, an image, or an audio or video file we can show."


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(file, **options):
    options.setdefault("expected_kind", None)
    with pytest.raises(ValidationError) as caught:
        check_upload(file, **options)
    return " ".join(caught.value.messages)


def stored_name(name, content=PDF):
    return check_upload(upload(name, content), expected_kind=None).safe_name


@pytest.mark.parametrize(
    ("name", "content", "kind", "content_type", "extension"),
    [
        ("report.pdf", PDF, "document", "application/pdf", "pdf"),
        ("chart.png", PNG, "document", "image/png", "png"),
        ("photo.jpeg", JPEG, "document", "image/jpeg", "jpg"),
        ("diagram.gif", GIF, "document", "image/gif", "gif"),
        ("poster.webp", WEBP, "document", "image/webp", "webp"),
        ("interview.mp3", MP3_TAGGED, "media", "audio/mpeg", "mp3"),
        ("interview.mp3", MP3_FRAMES, "media", "audio/mpeg", "mp3"),
        ("interview.mp3", MP3_MPEG2, "media", "audio/mpeg", "mp3"),
        ("hearing.mp4", MP4, "media", "video/mp4", "mp4"),
        ("voice-note.m4a", M4A, "media", "audio/mp4", "m4a"),
        ("hearing.webm", WEBM, "media", "video/webm", "webm"),
        ("interview.ogg", OGG, "media", "audio/ogg", "ogg"),
        ("interview.wav", WAV, "media", "audio/wav", "wav"),
    ],
)
def test_each_allowed_kind_is_accepted_and_served_as_what_it_is(
    name, content, kind, content_type, extension
):
    checked = check_upload(upload(name, content), expected_kind=kind)

    assert checked.kind == kind
    assert checked.content_type == content_type
    assert checked.safe_name.endswith(f".{extension}")
    assert detect(content).content_type == content_type


def test_a_file_is_judged_by_its_content_not_its_name():
    checked = check_upload(upload("scan.pdf", PNG), expected_kind="document")

    assert checked.content_type == "image/png"
    assert re.fullmatch(r"scan-[0-9a-f]{8}\.png", checked.safe_name)


def test_the_content_type_the_browser_sent_is_ignored():
    message = refusal(upload("notes.pdf", HTML, content_type="application/pdf"))

    assert message.startswith(NOT_SHOWABLE)


def test_a_file_named_pdf_that_is_really_a_zip_is_refused_and_says_so():
    message = refusal(upload("evidence.pdf", ZIP))

    assert message == f"{NOT_SHOWABLE} Its name says .pdf, but its content is something else."


def test_an_html_page_with_a_script_named_pdf_is_refused_and_says_so():
    message = refusal(upload("briefing.pdf", HTML))

    assert "Its name says .pdf, but its content is something else." in message


def test_a_program_renamed_png_is_refused_and_says_so():
    message = refusal(upload("holiday.PNG", EXE))

    assert "Its name says .png, but its content is something else." in message


def test_a_file_that_does_not_claim_an_allowed_type_is_refused_without_blaming_its_name():
    assert refusal(upload("budget.xlsx", ZIP)) == NOT_SHOWABLE
    assert refusal(upload("no-extension", EXE)) == NOT_SHOWABLE


def test_an_iphone_photo_is_not_mistaken_for_a_video():
    assert detect(HEIC_PHOTO) is None
    assert refusal(upload("IMG_0001.heic", HEIC_PHOTO)) == NOT_SHOWABLE


def test_an_empty_file_is_refused():
    assert refusal(upload("report.pdf", b"")) == "The file is empty."


def test_a_file_over_the_limit_is_refused_with_both_sizes():
    big = PDF + bytes(31 * MiB - len(PDF))

    message = refusal(upload("report.pdf", big), max_bytes=25 * MiB)

    assert message == "The file is 31 MB; the limit is 25 MB."


def test_a_file_just_over_the_limit_never_reads_as_within_it():
    message = refusal(upload("report.pdf", PDF + bytes(2049 - len(PDF))), max_bytes=2048)

    assert message == "The file is 2.1 KB; the limit is 2 KB."


def test_a_file_exactly_at_the_limit_is_accepted():
    content = PDF + bytes(2048 - len(PDF))

    assert check_upload(upload("report.pdf", content), expected_kind=None, max_bytes=2048)


def test_the_limit_comes_from_settings_when_set(settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 50

    message = refusal(upload("report.pdf", PDF))

    assert message == f"The file is {len(PDF)} bytes; the limit is 50 bytes."


def test_the_limit_is_25_mb_when_settings_say_nothing(settings):
    del settings.EVIDENCE_MAX_UPLOAD_BYTES

    assert max_upload_bytes() == MAX_UPLOAD_BYTES == 25 * MiB


def test_media_offered_as_a_document_is_refused_with_the_kind_to_choose():
    message = refusal(upload("hearing.mp4", MP4), expected_kind="document")

    assert message == "This is an audio or video file; choose “Audio or video” as the kind of item."


def test_a_document_offered_as_media_is_refused_with_the_kind_to_choose():
    message = refusal(upload("report.pdf", PDF), expected_kind="media")

    assert (
        message
        == "This is a PDF or an image; choose “Document (PDF or image)” as the kind of item."
    )


def test_after_checking_the_file_can_be_stored_from_its_start():
    file = upload("report.pdf", PDF)
    file.read(3)

    check_upload(file, expected_kind="document")

    assert file.read() == PDF


def test_safe_names_keep_no_path_parts():
    assert re.fullmatch(r"passwd-[0-9a-f]{8}\.pdf", stored_name("../../etc/passwd.pdf"))
    assert re.fullmatch(
        r"report-[0-9a-f]{8}\.pdf", stored_name("C:\\Users\\Ann\\..\\Desktop\\report.pdf")
    )


def test_safe_names_keep_only_plain_letters_digits_and_hyphens():
    name = stored_name('Report <script>&"quotes"; rm -rf *\x00\n.pdf')

    assert re.fullmatch(r"report-script-quotes-rm-rf-[0-9a-f]{8}\.pdf", name)


def test_safe_names_turn_accented_letters_plain_and_drop_other_scripts():
    assert re.fullmatch(
        r"adroddiad-y-cyngor-w-y-[0-9a-f]{8}\.pdf", stored_name("Adroddiad y Cyngor — ŵ ŷ.pdf")
    )
    assert re.fullmatch(r"file-[0-9a-f]{8}\.pdf", stored_name("报告.pdf"))


def test_a_name_hiding_its_extension_behind_a_direction_mark_gets_ours():
    name = stored_name("holiday\u202egnp.exe", PNG)

    assert re.fullmatch(r"holiday-gnp-[0-9a-f]{8}\.png", name)


def test_safe_names_never_keep_a_dangerous_extension():
    assert re.fullmatch(r"report-pdf-[0-9a-f]{8}\.pdf", stored_name("report.pdf.html"))
    assert re.fullmatch(r"invoice-[0-9a-f]{8}\.png", stored_name("invoice.exe", PNG))
    assert re.fullmatch(r"htaccess-[0-9a-f]{8}\.pdf", stored_name(".htaccess"))


def test_long_names_are_shortened():
    name = stored_name("a" * 200 + ".pdf")

    assert re.fullmatch(r"a{60}-[0-9a-f]{8}\.pdf", name)


def test_two_uploads_with_the_same_name_are_stored_under_different_names():
    assert stored_name("report.pdf") != stored_name("report.pdf")
