"""The published report: a fact that does not change.

A Report row is written once, when it is published, and never again: `save()` on an existing row,
`delete()`, and QuerySet `update()`/`delete()` all raise `ReportIsFrozen`; on PostgreSQL a trigger
refuses UPDATE and DELETE in the database too (and of a file once its bytes are stored). The exact bytes of each
format are kept (ReportFile) with their SHA-256, so anyone can check a downloaded copy. A
correction is a new Report with the next version number and a stated reason; every version stays
public.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from juries.models import Jury
from juries.text_limits import SHORT


class ReportIsFrozen(Exception):
    """Raised on any attempt to change or delete a published report or its files."""


class FrozenQuerySet(models.QuerySet):
    """Reports are only ever inserted: every path that would change or remove a row raises."""

    def update(self, **kwargs):
        raise ReportIsFrozen("A published report cannot be changed; publish a correction.")

    def delete(self):
        raise ReportIsFrozen("A published report cannot be deleted.")

    _raw_delete = delete

    def bulk_update(self, objs, fields, batch_size=None):
        raise ReportIsFrozen("A published report cannot be changed; publish a correction.")

    def bulk_create(self, objs, *args, update_conflicts=False, ignore_conflicts=False, **kwargs):
        if update_conflicts or ignore_conflicts:
            raise ReportIsFrozen("A published report cannot be overwritten.")
        return super().bulk_create(objs, *args, **kwargs)

    def update_or_create(self, *args, **kwargs):
        raise ReportIsFrozen("A published report cannot be changed; publish a correction.")


class ReportFileQuerySet(models.QuerySet):
    """A file may change while it is being made (its state and progress); once its bytes and
    their SHA-256 are stored, it is frozen like the report."""

    def update(self, **kwargs):
        if self.exclude(sha256="").exists():
            raise ReportIsFrozen("A published report's file cannot be changed.")
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        raise ReportIsFrozen("A published report's file cannot be changed.")

    def delete(self):
        raise ReportIsFrozen("A published report's file cannot be deleted.")

    _raw_delete = delete


class Report(models.Model):
    jury = models.ForeignKey(Jury, related_name="reports", on_delete=models.PROTECT)
    version = models.PositiveIntegerField(_("version"))
    # The report as published, built from the jury's data (see voting.reports.build_content).
    content = models.JSONField()
    # The canonical JSON bytes' SHA-256: the JSON download is exactly those bytes.
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    reason = models.TextField(_("reason for the correction"), blank=True, max_length=SHORT)
    published_at = models.DateTimeField(_("published"))
    # PROTECT, not SET_NULL: nulling it would be an UPDATE of a published report, which the
    # database refuses. People are never removed outright (see juries.accounts.delete_account).
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = FrozenQuerySet.as_manager()

    class Meta:
        ordering = ["jury", "version"]
        constraints = [
            models.UniqueConstraint(fields=["jury", "version"], name="report_version"),
        ]

    def __str__(self):
        return _("Report of %(jury)s, version %(version)s") % {
            "jury": self.jury,
            "version": self.version,
        }

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ReportIsFrozen("A published report cannot be changed; publish a correction.")
        # Always an INSERT: a new instance given an existing row's id fails instead of
        # overwriting it.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("voting:report-version", args=[self.jury.slug, self.version])

    def delete(self, *args, **kwargs):
        raise ReportIsFrozen("A published report cannot be deleted.")


class ReportFormat(models.TextChoices):
    JSON = "json", _("JSON")
    CSV = "csv", _("CSV (spreadsheet)")
    PDF = "pdf", _("PDF")


class ReportFileState(models.TextChoices):
    QUEUED = "queued", _("Waiting to be made")
    MAKING = "making", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be made")


class ReportFile(models.Model):
    """One format of one report version. The bytes are written once (JSON and CSV at
    publication, the PDF by the background worker) and never changed after."""

    report = models.ForeignKey(Report, related_name="files", on_delete=models.PROTECT)
    format = models.CharField(max_length=4, choices=ReportFormat.choices)
    state = models.CharField(
        max_length=10, choices=ReportFileState.choices, default=ReportFileState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent, while it is being made
    data = models.BinaryField(null=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True)
    made_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    objects = ReportFileQuerySet.as_manager()

    class Meta:
        ordering = ["report", "format"]
        constraints = [
            models.UniqueConstraint(fields=["report", "format"], name="one_file_per_format"),
        ]

    def __str__(self):
        return f"{self.report} ({self.get_format_display()})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            # What is stored decides, not what this instance holds: a file with its hash is done.
            stored = ReportFile.objects.filter(pk=self.pk).values_list("sha256", flat=True).first()
            if stored:
                raise ReportIsFrozen("A published report's file cannot be changed.")
        self.sha256 = hashlib.sha256(bytes(self.data)).hexdigest() if self.data is not None else ""
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReportIsFrozen("A published report's file cannot be deleted.")

    @property
    def is_ready(self):
        return self.state == ReportFileState.READY

    @property
    def is_making(self):
        return self.state == ReportFileState.MAKING

    @property
    def is_failed(self):
        return self.state == ReportFileState.FAILED
