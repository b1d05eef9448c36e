"""A report's files beyond the JSON: the CSV, made at publication, the PDF, made in the
background worker, and checking a downloaded copy against them.

The PDF is the report's web page (its print variant) laid out by WeasyPrint, from the frozen
content of that version, so every format says the same thing. The file row shows its progress
(queued, then being made at 0, 30 and 90 per cent, then ready) so the report page can tell
readers how far it has got. A failure is recorded on the row with a short message; readers see
"could not be made", never an error page, and a facilitator can ask for it to be made again.
"""

import csv
import hashlib
import io
import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from juries import audit

from .models import ReportFile, ReportFileState, ReportFormat
from .models.decisions import LEVEL_LABELS, OUTCOME_LABELS
from .tally import Level

logger = logging.getLogger(__name__)

PRINT_TEMPLATE = "voting/reports/report_print.html"


def csv_bytes(content):
    """One row per recommendation with its result, in the site's language, UTF-8 with a byte
    order mark so spreadsheet programs read the letters right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    with translation.override(settings.LANGUAGE_CODE):
        writer.writerow(
            [
                _("Number"),
                _("Theme"),
                _("Recommendation"),
                _("Who should act"),
                _("Outcome"),
                *[str(LEVEL_LABELS[level]) for level in Level],
                _("Ballots"),
                _("Jurors"),
                _("Turnout (%)"),
                _("Support (%)"),
                _("Priority"),
                _("Statements of dissent"),
            ]
        )
        for rec in content["recommendations"]:
            result = rec["result"] or {}
            counts = result.get("counts", {})
            writer.writerow(
                [
                    rec["number"],
                    rec["theme"] or "",
                    rec["statement"],
                    rec["addressed_to"],
                    str(OUTCOME_LABELS[result["outcome"]]) if result else _("Not voted on"),
                    *[counts.get(level.value, "") for level in Level],
                    result.get("ballots", ""),
                    result.get("jurors", ""),
                    _blank_if_none(result.get("turnout_percent")),
                    _blank_if_none(result.get("support_percent")),
                    _blank_if_none(rec["priority"]),
                    len(rec["dissent"]),
                ]
            )
    return buffer.getvalue().encode("utf-8-sig")


def _blank_if_none(value):
    return "" if value is None else value


def _step(file, state, progress):
    file.state = state
    file.progress = progress
    file.save(update_fields=["state", "progress"])


def render_pdf(report):
    """The PDF bytes of one report version."""
    import weasyprint  # heavy: loaded only in the worker

    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        html = render_to_string(
            PRINT_TEMPLATE, {"report": report, "content": report.content, "jury": report.jury}
        )
    return weasyprint.HTML(string=html, base_url=settings.SITE_URL + "/").write_pdf()


@task()
def make_pdf(file_id):
    """Make the PDF for the ReportFile `file_id` if it is still waiting. Runs in the worker."""
    with transaction.atomic():
        file = (
            ReportFile.objects.select_for_update(of=("self",))
            .filter(pk=file_id, format=ReportFormat.PDF, state=ReportFileState.QUEUED)
            .select_related("report__jury")
            .first()
        )
        if file is None:  # already made (or being made) by another run of the worker
            return
        _step(file, ReportFileState.MAKING, 0)
    try:
        report = file.report
        _step(file, ReportFileState.MAKING, 30)
        data = render_pdf(report)
        _step(file, ReportFileState.MAKING, 90)
        file.data = data
        file.state = ReportFileState.READY
        file.progress = 100
        file.made_at = timezone.now()
        file.error = ""
        file.save()  # computes and stores the SHA-256; the row is frozen from here on
    except Exception as error:  # a reader must see "could not be made", not a broken page
        logger.exception("The PDF of report file %s could not be made", file_id)
        ReportFile.objects.filter(pk=file_id, sha256="").update(
            state=ReportFileState.FAILED, error=f"{type(error).__name__}: {error}"[:300]
        )


def retry_pdf(file, by):
    """Queue a failed PDF again. Needs Action.PUBLISH_REPORT (facilitators). Audited."""
    with transaction.atomic():
        changed = ReportFile.objects.filter(
            pk=file.pk, format=ReportFormat.PDF, state=ReportFileState.FAILED
        ).update(state=ReportFileState.QUEUED, progress=0, error="")
        if not changed:
            return False
        audit.record(
            actor=by,
            action="report.pdf-retry",
            summary=_("Asked for the PDF of version %(version)s to be made again.")
            % {"version": file.report.version},
            jury=file.report.jury,
            target=file.report,
        )
        transaction.on_commit(lambda: make_pdf.enqueue(file_id=file.pk))
    return True


# --- Checking a downloaded copy ----------------------------------------------------------


def file_hash(uploaded):
    """SHA-256 of an uploaded file, read in chunks (it may be large)."""
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def matching_files(jury, digest):
    """The jury's ready report files whose bytes hash to `digest`."""
    return list(
        ReportFile.objects.filter(
            report__jury=jury, state=ReportFileState.READY, sha256=digest.lower()
        )
        .select_related("report")
        .order_by("report__version", "format")
    )
