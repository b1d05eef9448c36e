"""A published report and its files cannot be changed or removed by any path through the models:
save, reusing an id, update, bulk operations, upserts or delete. Each attempt raises and leaves
the stored bytes and hash as they were."""

import hashlib

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from voting.models import Report, ReportFile, ReportFileState, ReportFormat
from voting.models.reports import ReportIsFrozen

JSON = b'{"version": 1}\n'


@pytest.fixture
def report(jury, facilitator):
    report = Report.objects.create(
        jury=jury,
        version=1,
        content={"version": 1},
        sha256=hashlib.sha256(JSON).hexdigest(),
        published_at=timezone.now(),
        published_by=facilitator,
    )
    ReportFile.objects.create(report=report, format=ReportFormat.JSON, data=JSON, state="ready")
    ReportFile.objects.create(report=report, format=ReportFormat.PDF)  # still being made
    return report


def unchanged(report):
    stored = Report.objects.get(pk=report.pk)
    json_file = ReportFile.objects.get(report=report, format=ReportFormat.JSON)
    return (
        stored.content == {"version": 1}
        and stored.sha256 == hashlib.sha256(JSON).hexdigest()
        and bytes(json_file.data) == JSON
        and json_file.sha256 == hashlib.sha256(JSON).hexdigest()
    )


def attempts(report):
    """Every way we know of to change a published report through the ORM."""
    fake = {"jury": report.jury, "version": 1, "content": {"x": 1}, "sha256": "0" * 64}
    now = timezone.now()
    json_file = ReportFile.objects.get(report=report, format=ReportFormat.JSON)
    return {
        "save": lambda: report.save(),
        "delete": lambda: report.delete(),
        "queryset update": lambda: Report.objects.filter(pk=report.pk).update(sha256="0" * 64),
        "queryset delete": lambda: Report.objects.filter(pk=report.pk).delete(),
        "bulk update": lambda: Report.objects.bulk_update([report], ["sha256"]),
        "upsert": lambda: Report.objects.bulk_create(
            [Report(published_at=now, **fake)],
            update_conflicts=True,
            unique_fields=["jury", "version"],
            update_fields=["content", "sha256"],
        ),
        "update_or_create": lambda: Report.objects.update_or_create(
            jury=report.jury, version=1, defaults={"sha256": "0" * 64}
        ),
        "file save": lambda: _resave(json_file),
        "file save with the hash cleared": lambda: _resave(json_file, clear_hash=True),
        "file delete": lambda: json_file.delete(),
        "file queryset update": lambda: ReportFile.objects.filter(pk=json_file.pk).update(
            data=b"tampered"
        ),
        "file queryset delete": lambda: ReportFile.objects.filter(report=report).delete(),
    }


def _resave(file, clear_hash=False):
    file.data = b"tampered"
    if clear_hash:
        file.sha256 = ""
    file.save()


@pytest.mark.parametrize(
    "attempt",
    [
        "save",
        "delete",
        "queryset update",
        "queryset delete",
        "bulk update",
        "upsert",
        "update_or_create",
        "file save",
        "file save with the hash cleared",
        "file delete",
        "file queryset update",
        "file queryset delete",
    ],
)
def test_no_path_through_the_models_changes_a_published_report(report, attempt):
    with pytest.raises(ReportIsFrozen), transaction.atomic():
        attempts(report)[attempt]()
    assert unchanged(report)


def test_a_new_report_given_an_existing_id_fails_instead_of_overwriting(report):
    impostor = Report(
        pk=report.pk,
        jury=report.jury,
        version=1,
        content={"x": 1},
        sha256="0" * 64,
        published_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        impostor.save()
    assert unchanged(report)


def test_a_pdf_being_made_can_still_move_on_and_is_frozen_once_its_bytes_are_stored(report):
    pdf = ReportFile.objects.get(report=report, format=ReportFormat.PDF)
    ReportFile.objects.filter(pk=pdf.pk).update(state=ReportFileState.MAKING, progress=30)
    pdf.refresh_from_db()
    pdf.data = b"%PDF-1.7 made"
    pdf.state = ReportFileState.READY
    pdf.save()
    assert pdf.sha256 == hashlib.sha256(b"%PDF-1.7 made").hexdigest()

    with pytest.raises(ReportIsFrozen):
        ReportFile.objects.filter(pk=pdf.pk).update(state=ReportFileState.FAILED)
    pdf.refresh_from_db()
    assert pdf.state == ReportFileState.READY
