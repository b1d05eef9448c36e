"""Checking a report's files against the audit log, not only against the rows beside them.

Publishing a version records its files' SHA-256 in the jury's hash-chained audit log
(`voting.reports.chain_data`; the PDF's when it is made). A stored file whose bytes or hash were
rewritten in the database still matches its own row, but no longer what the log recorded when it
was published: `check()` tells those apart.
"""

from dataclasses import dataclass, field

from juries import audit
from juries.models import AuditEntry

from .models import ReportFile, ReportFileState
from .reports import sha256

REPORT_ACTIONS = ["report.publish", "report.correct", "report.pdf-made"]


@dataclass
class Checked:
    """`matches`: stored files that are exactly the uploaded copy and what the log recorded.
    `refused`: stored files that are the copy but not what the log recorded (changed since).
    `unrecorded`: matches from before the log recorded hashes, checked against the row only.
    `published_only`: versions whose recorded hash is the copy's, though no stored file is."""

    matches: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    unrecorded: list = field(default_factory=list)
    published_only: list = field(default_factory=list)


@dataclass
class Recorded:
    """What the jury's audit log says of its reports, by report id (a string, as entries keep
    it): `hashes` {format: SHA-256} from intact entries; `broken`, reports whose entry no longer
    hashes right; `legacy`, reports published before the log recorded hashes."""

    hashes: dict = field(default_factory=dict)
    broken: set = field(default_factory=set)
    legacy: set = field(default_factory=set)


def recorded(jury):
    found = Recorded()
    entries = AuditEntry.objects.filter(
        jury=jury, target_type="report", action__in=REPORT_ACTIONS
    ).order_by("seq")
    for entry in entries:
        files = (entry.data or {}).get("files")
        if not files:
            found.legacy.add(entry.target_id)
        elif not audit.verified_entry(entry):
            found.broken.add(entry.target_id)
        else:
            found.hashes.setdefault(entry.target_id, {}).update(files)
    return found


def _changed(file, log, expected, digest):
    """Whether the stored file, or the entry that recorded it, was changed after publication.
    A file the log never recorded counts as changed, unless its report predates the records."""
    report_id = str(file.report_id)
    if report_id in log.broken or (expected is not None and expected != digest):
        return True
    if expected is None and report_id not in log.legacy:
        return True
    if file.data is None or sha256(file.data) != file.sha256:
        return True
    return file.format == "json" and file.report.sha256 != digest


def check(jury, digest):
    """What the uploaded copy with SHA-256 `digest` is, checked against the stored files and
    against the audit log."""
    digest = digest.lower()
    log = recorded(jury)
    result = Checked()
    stored = ReportFile.objects.filter(
        report__jury=jury, state=ReportFileState.READY, sha256=digest
    ).select_related("report")
    for file in stored.order_by("report__version", "format"):
        expected = log.hashes.get(str(file.report_id), {}).get(file.format)
        if _changed(file, log, expected, digest):
            result.refused.append(file)
        elif expected is None:
            result.unrecorded.append(file)
        else:
            result.matches.append(file)
    seen = {(str(file.report_id), file.format) for file in result.matches}
    for report_id, files in log.hashes.items():
        for fmt, recorded_digest in files.items():
            if recorded_digest == digest and (report_id, fmt) not in seen:
                file = ReportFile.objects.filter(report_id=report_id, format=fmt).first()
                if file is not None:
                    result.published_only.append(file)
    return result
