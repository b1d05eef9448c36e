"""Checking an evidence upload before it is stored.

A file is judged by its first bytes, never by its name or the content type the browser sent:
both are chosen by the uploader. What is accepted is what a browser can show inline — PDFs and
images as documents, audio and video as media — and the stored name is rebuilt from scratch, so
nothing the uploader typed decides how the file is later served.
"""

import math
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evidence.models import ItemKind

# Used when settings has no EVIDENCE_MAX_UPLOAD_BYTES.
MAX_UPLOAD_BYTES = 25 * 1024 * 1024

# Enough for the longest signature below (RIFF or ftyp plus a four-byte form or brand).
HEAD_BYTES = 16

SAFE_STEM_LENGTH = 60

# HEIF and AVIF stills (iPhone photos, for one) share MP4's ftyp box, but no <video> plays them.
STILL_IMAGE_BRANDS = {
    b"heic",
    b"heix",
    b"hevc",
    b"hevx",
    b"heim",
    b"heis",
    b"mif1",
    b"msf1",
    b"avif",
    b"avis",
}
AUDIO_ONLY_MP4_BRANDS = {b"M4A ", b"M4B "}


def _starts_with(*signatures: bytes) -> Callable[[bytes], bool]:
    return lambda head: head.startswith(signatures)


def _riff(form: bytes) -> Callable[[bytes], bool]:
    return lambda head: head[:4] == b"RIFF" and head[8:12] == form


def _is_mp4_audio(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in AUDIO_ONLY_MP4_BRANDS


def _is_mp4(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] not in STILL_IMAGE_BRANDS


@dataclass(frozen=True)
class Allowed:
    """One kind of file we accept: how to recognise it and how to store and serve it."""

    kind: str
    content_type: str
    extension: str
    matches: Callable[[bytes], bool]
    # Other extensions people use for the same thing, so a name that claims one is recognised.
    also_named: tuple[str, ...] = ()


# Checked in order: the audio-only MP4 brands before MP4 in general.
ALLOWED = (
    Allowed(ItemKind.DOCUMENT, "application/pdf", "pdf", _starts_with(b"%PDF-")),
    Allowed(ItemKind.DOCUMENT, "image/png", "png", _starts_with(b"\x89PNG\r\n\x1a\n")),
    Allowed(
        ItemKind.DOCUMENT,
        "image/jpeg",
        "jpg",
        _starts_with(b"\xff\xd8\xff"),
        also_named=("jpeg", "jpe", "jfif"),
    ),
    Allowed(ItemKind.DOCUMENT, "image/gif", "gif", _starts_with(b"GIF87a", b"GIF89a")),
    Allowed(ItemKind.DOCUMENT, "image/webp", "webp", _riff(b"WEBP")),
    Allowed(
        ItemKind.MEDIA,
        "audio/mpeg",
        "mp3",
        _starts_with(b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    ),
    Allowed(ItemKind.MEDIA, "audio/mp4", "m4a", _is_mp4_audio, also_named=("m4b",)),
    Allowed(ItemKind.MEDIA, "video/mp4", "mp4", _is_mp4, also_named=("m4v",)),
    Allowed(
        ItemKind.MEDIA,
        "video/webm",
        "webm",
        _starts_with(b"\x1a\x45\xdf\xa3"),
        also_named=("mkv", "mka"),
    ),
    Allowed(
        ItemKind.MEDIA,
        "audio/ogg",
        "ogg",
        _starts_with(b"OggS"),
        also_named=("oga", "ogv", "opus", "spx"),
    ),
    Allowed(ItemKind.MEDIA, "audio/wav", "wav", _riff(b"WAVE"), also_named=("wave",)),
)

CLAIMED_EXTENSIONS = frozenset(
    name for allowed in ALLOWED for name in (allowed.extension, *allowed.also_named)
)


@dataclass(frozen=True)
class Detected:
    kind: str
    content_type: str
    extension: str


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    kind: str
    safe_name: str


def detect(head: bytes) -> Detected | None:
    """What the file whose first bytes are `head` really is, or None if it is none of ALLOWED."""
    for allowed in ALLOWED:
        if allowed.matches(head):
            return Detected(allowed.kind, allowed.content_type, allowed.extension)
    return None


def max_upload_bytes() -> int:
    """The largest upload allowed: EVIDENCE_MAX_UPLOAD_BYTES if set, else MAX_UPLOAD_BYTES."""
    return getattr(settings, "EVIDENCE_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)


def check_upload(
    upload: UploadedFile, *, expected_kind: str | None = None, max_bytes: int | None = None
) -> CheckedUpload:
    """Check a Django UploadedFile and say how to store it.

    Raises ValidationError, with a message for the uploader, if the file is empty, larger than
    `max_bytes` (default: max_upload_bytes()), not one of ALLOWED by its content, or not of
    `expected_kind` when one is given. Otherwise returns a CheckedUpload whose content type and
    safe name come from the content, and leaves the file positioned at its start for storage.
    """
    if max_bytes is None:
        max_bytes = max_upload_bytes()
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": human_size(upload.size, round_up=True), "limit": human_size(max_bytes)},
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if not head:
        raise ValidationError(_("The file is empty."), code="empty")
    detected = detect(head)
    if detected is None:
        raise _not_allowed(upload.name)
    if expected_kind is not None and detected.kind != expected_kind:
        raise _wrong_kind(detected.kind)
    return CheckedUpload(
        content_type=detected.content_type,
        kind=detected.kind,
        safe_name=safe_name(upload.name, detected.extension),
    )


def safe_name(original: str | None, extension: str) -> str:
    """A storage name built from `original`'s stem, a random suffix and our own `extension`.

    Only letters, digits, hyphens and underscores survive, so no path part, no second extension
    and no control or direction character reaches storage; the suffix keeps two uploads of
    "report.pdf" apart and makes names unguessable.
    """
    stem = PurePosixPath(_base_name(original)).stem
    # Punctuation separates words, so "report.pdf.html" reads "report-pdf", not "reportpdf".
    slug = slugify(re.sub(r"\W+", " ", stem))[:SAFE_STEM_LENGTH].strip("-_") or "file"
    return f"{slug}-{secrets.token_hex(4)}.{extension}"


def human_size(size: int, *, round_up: bool = False) -> str:
    """`size` in bytes as people read it: "512 bytes", "2.5 KB", "31 MB".

    With `round_up`, a size just over a limit never reads the same as the limit.
    """
    if size < 1024:
        return ngettext("%(count)d byte", "%(count)d bytes", size) % {"count": size}
    value, unit = size / 1024, "KB"
    for larger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, larger
    value = math.ceil(value * 10) / 10 if round_up else round(value, 1)
    return f"{value:.1f}".removesuffix(".0") + f" {unit}"


def _base_name(name: str | None) -> str:
    # Browsers on Windows have sent full paths with backslashes; treat those as separators too.
    return (name or "").replace("\\", "/").rsplit("/", 1)[-1]


def _claimed_extension(name: str | None) -> str | None:
    suffix = PurePosixPath(_base_name(name)).suffix.lower().removeprefix(".")
    return suffix if suffix in CLAIMED_EXTENSIONS else None


def _not_allowed(name: str | None) -> ValidationError:
    claimed = _claimed_extension(name)
    if claimed is None:
        return ValidationError(
            _("This file is not a PDF, an image, or an audio or video file we can show."),
            code="not_allowed",
        )
    return ValidationError(
        _(
            "This file is not a PDF, an image, or an audio or video file we can show. "
            "Its name says .%(extension)s, but its content is something else."
        ),
        code="content_mismatch",
        params={"extension": claimed},
    )


def _wrong_kind(detected_kind: str) -> ValidationError:
    if detected_kind == ItemKind.MEDIA:
        message = _("This is an audio or video file; choose “%(kind)s” as the kind of item.")
    else:
        message = _("This is a PDF or an image; choose “%(kind)s” as the kind of item.")
    return ValidationError(
        message, code="wrong_kind", params={"kind": ItemKind(detected_kind).label}
    )
