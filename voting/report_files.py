"""A report's files beyond the JSON: the CSV, made at publication, the PDF, made in the
background worker, and checking a downloaded copy against them.

The PDF is the report's web page (its print variant) laid out by WeasyPrint, from the frozen
content of that version, so every format says the same thing. The file row shows its progress
(queued, then being made at 0, 30 and 90 per cent, then ready) so the report page can tell
readers how far it has got. A failure is recorded on the row with a short message; readers see
"could not be made", never an error page, and a facilitator can ask for it to be made again.

While the PDF is being made, `made_at` holds the time the worker last reported progress (a
lease): a worker that dies leaves the row "being made" with an old stamp, and after
`STUCK_AFTER` a facilitator may take it over (`retry_pdf`). Each step of a run only writes if the
stamp is still the one it wrote, so a run that was taken over stops instead of overwriting the
new one. Once the PDF is ready, `made_at` is when it was made.
"""

import hashlib
import io
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from juries import audit, csv_export

from .models import ReportFile, ReportFileState, ReportFormat
from .models.decisions import LEVEL_LABELS, OUTCOME_LABELS
from .tally import Level

logger = logging.getLogger(__name__)

PRINT_TEMPLATE = "voting/reports/report_print.html"
# A PDF "being made" with no progress for this long has lost its worker: it may be made again.
STUCK_AFTER = timedelta(minutes=10)


def csv_bytes(content):
    """One row per recommendation with its result, in the site's language, UTF-8 with a byte
    order mark so spreadsheet programs read the letters right. Written through the one CSV writer,
    so no juror's words open as a formula; the stored hash is of these safe bytes."""
    buffer = io.StringIO()
    writer = csv_export.writer(buffer, lineterminator="\r\n")
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


def _step(file, progress):
    """Record progress and renew the lease. False when another run has taken the PDF over (the
    stamp is no longer the one this run wrote): the caller stops."""
    stamp = timezone.now()
    renewed = ReportFile.objects.filter(
        pk=file.pk, state=ReportFileState.MAKING, made_at=file.made_at
    ).update(progress=progress, made_at=stamp)
    file.made_at = stamp
    return bool(renewed)


def render_pdf(report, **options):
    """The PDF bytes of one report version: a tagged PDF/UA-1 document (headings, tables and
    reading order for screen readers, the document's language and title), so the PDF is as
    accessible as the web page. `options` go to WeasyPrint (tests ask for it uncompressed)."""
    import weasyprint  # heavy: loaded only in the worker

    document = weasyprint.HTML(string=print_html(report), base_url=settings.SITE_URL + "/")
    return document.write_pdf(pdf_variant="pdf/ua-1", **options)


def print_html(report):
    """The HTML WeasyPrint lays out: in the site's language and time zone, with links on this
    site resolved against SITE_URL (the base URL `render_pdf` gives)."""
    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        return render_to_string(
            PRINT_TEMPLATE, {"report": report, "content": report.content, "jury": report.jury}
        )


@task()
def make_pdf(file_id):
    """Make the PDF for the ReportFile `file_id` if it is still waiting. Runs in the worker."""
    file = _claim(file_id)
    if file is None:  # already made, or being made by another run of the worker
        return
    try:
        if not _step(file, 30):
            return
        data = render_pdf(file.report)
        if not _step(file, 90):
            return
        _finish(file, data)
    except Exception as error:  # a reader must see "could not be made", not a broken page
        logger.exception("The PDF of report file %s could not be made", file_id)
        ReportFile.objects.filter(
            pk=file_id, state=ReportFileState.MAKING, made_at=file.made_at, sha256=""
        ).update(state=ReportFileState.FAILED, error=f"{type(error).__name__}: {error}"[:300])


def _claim(file_id):
    """Take a waiting PDF: mark it being made, stamped now. None if it is not waiting."""
    with transaction.atomic():
        file = (
            ReportFile.objects.select_for_update(of=("self",))
            .filter(pk=file_id, format=ReportFormat.PDF, state=ReportFileState.QUEUED)
            .select_related("report__jury")
            .first()
        )
        if file is None:
            return None
        file.state = ReportFileState.MAKING
        file.progress = 0
        file.made_at = timezone.now()
        file.save(update_fields=["state", "progress", "made_at"])
    return file


def _finish(file, data):
    """Store the bytes, unless another run took the PDF over meanwhile."""
    with transaction.atomic():
        mine = (
            ReportFile.objects.select_for_update()
            .filter(pk=file.pk, state=ReportFileState.MAKING, made_at=file.made_at, sha256="")
            .only("pk")
            .first()
        )
        if mine is None:
            return
        file.data = data
        file.state = ReportFileState.READY
        file.progress = 100
        file.made_at = timezone.now()
        file.error = ""
        file.save()  # computes and stores the SHA-256; the row is frozen from here on
        report = file.report
        audit.record(
            actor=None,
            action="report.pdf-made",
            summary=_("Made the PDF of version %(version)s (SHA-256 %(sha)s).")
            % {"version": report.version, "sha": file.sha256},
            jury=report.jury,
            target=report,
            data={"report": report.version, "files": {str(file.format): file.sha256}},
        )


def _retryable(now=None):
    """Failed PDFs, and PDFs whose worker has reported nothing for `STUCK_AFTER`."""
    cutoff = (now or timezone.now()) - STUCK_AFTER
    stuck = Q(state=ReportFileState.MAKING) & (Q(made_at__lt=cutoff) | Q(made_at__isnull=True))
    return Q(state=ReportFileState.FAILED) | stuck


def is_stuck(file, now=None):
    """Whether `file` is "being made" but its worker has reported nothing for `STUCK_AFTER`."""
    if file.state != ReportFileState.MAKING:
        return False
    return file.made_at is None or file.made_at < (now or timezone.now()) - STUCK_AFTER


def retry_pdf(file, by):
    """Queue the PDF again if it failed, or if it has been stuck "being made" for longer than
    `STUCK_AFTER` (its worker died); the run that was taken over stops at its next step. Needs
    Action.PUBLISH_REPORT (facilitators). Locks the row; audited; False when there is nothing to
    retry (waiting, being made, or ready)."""
    with transaction.atomic():
        current = (
            ReportFile.objects.select_for_update(of=("self",))
            .filter(_retryable(), pk=file.pk, format=ReportFormat.PDF, sha256="")
            .select_related("report__jury")
            .first()
        )
        if current is None:
            return False
        stuck = current.state == ReportFileState.MAKING
        ReportFile.objects.filter(pk=current.pk).update(
            state=ReportFileState.QUEUED, progress=0, error="", made_at=None
        )
        summary = (
            _("Took over the PDF of version %(version)s, stuck being made, to make it again.")
            if stuck
            else _("Asked for the PDF of version %(version)s to be made again.")
        )
        audit.record(
            actor=by,
            action="report.pdf-retry",
            summary=summary % {"version": current.report.version},
            jury=current.report.jury,
            target=current.report,
        )
        transaction.on_commit(lambda: make_pdf.enqueue(file_id=current.pk))
    return True


# --- Checking a downloaded copy ----------------------------------------------------------


def file_hash(uploaded):
    """SHA-256 of an uploaded file, read in chunks (it may be large)."""
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    return digest.hexdigest()
