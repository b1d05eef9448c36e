"""The jury's report: built from the jury's own data, published once, corrected by new versions.

`build_content()` turns the jury's data into one dictionary (documented by
`voting/report_schema.json`). Publishing freezes it: the canonical JSON bytes (sorted keys,
two-space indent, UTF-8, a final newline) are stored with their SHA-256, beside a CSV of the
recommendations and results; the PDF is made afterwards by the background worker
(`voting.report_files`). Anyone can check a downloaded copy against the SHA-256 shown on the
report's page, and against the hashes its audit log recorded (`voting.report_chain.check()`).

A published report never changes (the models refuse it, see `voting.models.reports`); a correction
is a new version built from the data as it is then, with a stated reason, and every version stays
public.
"""

import hashlib
import json
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from juries import audit, emails, events
from juries.models import Jury, Role, Stage
from juries.numbers import percent_value
from juries.permissions import Action
from juries.refusals import Refused
from juries.stages import change_stage

from .deadlines import response_deadline
from .dissent import sign_off_counts
from .models import (
    Citation,
    Dissent,
    Recommendation,
    Report,
    ReportFile,
    ReportFileState,
    ReportFormat,
    Vote,
    VoteState,
)
from .models.reports import ReportIsFrozen
from .report_files import csv_bytes, make_pdf
from .tally import Level

SCHEMA_VERSION = 1
RANKING_METHOD = "schulze"


class ReportError(Refused):
    """A publication that cannot be made; its message is shown to the person as it is."""


class AlreadyPublished(ReportIsFrozen, ReportError):
    """Publishing again without a correction: the published report is a fact."""


def absolute(path):
    return settings.SITE_URL + path


def _day(moment):
    """A date in the site's time zone, whoever is looking: the content must not depend on it."""
    if moment is None:
        return None
    return timezone.localdate(moment, timezone=ZoneInfo(settings.TIME_ZONE)).isoformat()


def _percent(part, whole):
    # Rounded half up to a tenth, as every page shows it (`juries.numbers`); a float, so the stored
    # content and its JSON export keep a plain number. Never used to decide anything.
    value = percent_value(part, whole)
    return None if value is None else float(value)


def closed_vote(jury):
    """The jury's latest closed final vote, or None: the round the report gives the results of
    (an indicative round before it decided nothing; its own page is linked from the report's)."""
    return (
        Vote.objects.filter(jury=jury, state=VoteState.CLOSED, indicative=False)
        .order_by("-closed_at", "-pk")
        .first()
    )


# --- Building the content ------------------------------------------------------------------


def _jury_part(jury):
    body = jury.oversight_body
    return {
        "title": jury.title,
        "slug": jury.slug,
        "url": absolute(jury.get_absolute_url()),
        "remit": jury.remit,
        "remit_summary": jury.remit_summary,
        "commissioning_organisation": jury.commissioning_organisation,
        "oversight_body": (
            {"name": body.name, "public_contact": body.public_contact} if body else None
        ),
    }


def _systems(jury):
    return [
        {
            "name": system.name,
            "organisation": system.organisation,
            "purpose": system.purpose,
            "url": absolute(system.get_absolute_url()),
        }
        for system in jury.systems_under_review.order_by("name", "pk")
    ]


def _item_url(item, slug):
    name = "evidence:public-item" if item.visibility == "public" else "evidence:item"
    return absolute(reverse(name, args=[slug, item.pk]))


def _process(jury, published_at):
    from evidence.models import EvidenceItem

    items = (
        EvidenceItem.objects.filter(pack__jury=jury, pack__published_at__isnull=False)
        .select_related("pack")
        .order_by("pack__position", "pack__pk", "position", "pk")
    )
    return {
        "stages": [
            {"from": change.from_stage, "to": change.to_stage, "date": _day(change.changed_at)}
            for change in jury.stage_changes.order_by("changed_at", "pk")
        ],
        "sittings": [
            {"title": sitting.title, "date": _day(sitting.starts_at)}
            for sitting in jury.sittings.filter(starts_at__lte=published_at).order_by(
                "starts_at", "pk"
            )
        ],
        "witnesses": [
            {"name": witness.name, "role": witness.role, "standpoint": witness.standpoint}
            for witness in jury.witnesses.order_by("name", "pk")
        ],
        "evidence": [
            {
                "title": item.title,
                "pack": item.pack.title,
                "provided_by": item.provided_by,
                "standpoint": item.standpoint,
                "url": _item_url(item, jury.slug),
            }
            for item in items
        ],
    }


def _citation(citation, slug):
    if citation.item is not None:
        return {"title": citation.item.title, "url": _item_url(citation.item, slug)}
    if citation.question is not None:
        question = citation.question
        return {
            "title": _("A witness's answer to “%(question)s”") % {"question": question.text[:200]},
            "url": absolute(question.get_absolute_url()),
        }
    post = citation.post
    return {
        "title": _("A post in the discussion “%(thread)s”") % {"thread": post.thread.title},
        "url": absolute(post.get_absolute_url()),
    }


def _dissent(dissent):
    """A statement as published; a hidden one shows only the reason it was hidden."""
    if dissent.is_hidden:
        return {"hidden": True, "hidden_reason": dissent.hidden_reason}
    return {"hidden": False, "text": dissent.text, "signers": dissent.signer_count}


def _result(result):
    if result is None:
        return None
    tally = result.tally()
    return {
        "counts": {level.value: tally.counts[level] for level in Level},
        "ballots": tally.ballots,
        "jurors": result.jurors,
        "turnout_percent": _percent(tally.ballots, result.jurors),
        "support_percent": _percent(tally.accepting, tally.sides),
        "outcome": result.outcome,
        "reasons": list(result.reasons),
    }


def _places(vote):
    """Recommendation id -> priority place (1 = most important), when the jury ranked them."""
    places = (vote.ranking_result or {}).get("places") if vote else None
    return {
        str(rec_id): place for place, tied in enumerate(places or [], start=1) for rec_id in tied
    }


def _dissents():
    return Dissent.objects.annotate(signer_count=Count("signers")).order_by("created_at", "pk")


def _recommendations(jury, vote):
    places = _places(vote)
    recommendations = (
        Recommendation.objects.active()
        .filter(jury=jury)
        .select_related("theme")
        .with_result()
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=Citation.objects.select_related(
                    "item", "question__jury", "post__thread__jury"
                ),
            ),
            Prefetch("dissents", queryset=_dissents()),
        )
        .order_by("number")
    )
    return [
        {
            "number": rec.number,
            "theme": rec.theme.title if rec.theme else None,
            "statement": rec.statement,
            "rationale": rec.rationale,
            "addressed_to": rec.addressed_to,
            "citations": [_citation(citation, jury.slug) for citation in rec.citations.all()],
            "result": _result(_of_round(rec.result, vote)),
            "dissent": [_dissent(dissent) for dissent in rec.dissents.all()],
            "priority": places.get(str(rec.pk)),
        }
        for rec in recommendations
    ]


def _of_round(result, vote):
    """`result` if it is from `vote` (the final round), else None."""
    return result if result is not None and vote is not None and result.vote_id == vote.pk else None


def _vote_part(vote):
    if vote is None:
        return None
    return {
        "rules": {
            "levels": [level.value for level in Level],
            "threshold_percent": vote.threshold_percent,
            "quorum_percent": vote.quorum_percent,
            "ranking_method": RANKING_METHOD if vote.ranking else None,
        },
        "opened": _day(vote.opened_at),
        "closed": _day(vote.closed_at),
        "jurors": vote.jurors_at_close,
    }


def build_content(jury, *, version=None, published_at=None, reason=""):
    """The report as it would be published now, from the jury's own data only.

    Without `version`/`published_at` it describes the next version as if published this moment
    (the draft page shows that). Deterministic for the same data: lists are in a fixed order and
    dates are in the site's time zone.
    """
    published_at = published_at or timezone.now()
    if version is None:
        latest = Report.objects.filter(jury=jury).order_by("-version").first()
        version = latest.version + 1 if latest else 1
    vote = closed_vote(jury)
    return {
        "schema_version": SCHEMA_VERSION,
        "schema": absolute(reverse("voting:report-schema", args=[jury.slug])),
        "version": version,
        "url": absolute(reverse("voting:report-version", args=[jury.slug, version])),
        "published_at": published_at.astimezone(ZoneInfo("UTC")).isoformat(timespec="seconds"),
        "correction_reason": reason or None,
        "response_deadline": response_deadline(jury, published_at).isoformat(),
        "jury": _jury_part(jury),
        "systems": _systems(jury),
        "process": _process(jury, published_at),
        "vote": _vote_part(vote),
        "recommendations": _recommendations(jury, vote),
        "report_dissent": [
            _dissent(dissent) for dissent in _dissents().filter(jury=jury, recommendation=None)
        ],
        "sign_off": sign_off_counts(jury),
        "audit_chain": _audit_chain(jury),
    }


def _audit_chain(jury):
    """The head of the jury's audit log just before this version is published: the entry that
    records this version's hashes comes after it (it could not be in the content it hashes)."""
    head = audit.head(jury)
    return {"entries": head.length, "head_sha256": head.hash}


# --- Formats -------------------------------------------------------------------------------


def canonical_json(content):
    """The JSON download, byte for byte: what the report's SHA-256 is computed over."""
    return json.dumps(content, ensure_ascii=False, sort_keys=True, indent=2).encode() + b"\n"


def sha256(data):
    return hashlib.sha256(bytes(data)).hexdigest()


# --- Publishing ----------------------------------------------------------------------------


def _publish_version(jury, by, *, version, reason=""):
    """Freeze one version: the report row, its JSON and CSV (ready), its PDF (queued)."""
    now = timezone.now()
    content = build_content(jury, version=version, published_at=now, reason=reason)
    data = canonical_json(content)
    report = Report.objects.create(
        jury=jury,
        version=version,
        content=content,
        sha256=sha256(data),
        reason=reason,
        published_at=now,
        published_by=by,
    )
    for fmt, file_data in ((ReportFormat.JSON, data), (ReportFormat.CSV, csv_bytes(content))):
        ReportFile.objects.create(
            report=report,
            format=fmt,
            state=ReportFileState.READY,
            progress=100,
            data=file_data,
            made_at=now,
        )
    pdf = ReportFile.objects.create(report=report, format=ReportFormat.PDF)
    transaction.on_commit(lambda: make_pdf.enqueue(file_id=pdf.pk))
    _tell_members(jury, report)
    events.publish(
        jury,
        "report.published",
        requires=Action.VIEW_JURY,
        data={"version": report.version, "url": report.get_absolute_url()},
    )
    return report


def _tell_members(jury, report):
    """Email every juror and oversight member once the publication is committed."""
    members = (
        jury.memberships.filter(role__in=[Role.JUROR, Role.OVERSIGHT])
        .reachable()
        .select_related("user")
    )
    name = (
        "voting/email/report_corrected" if report.version > 1 else "voting/email/report_published"
    )
    context = {
        "jury": jury,
        "report": report,
        "url": absolute(report.get_absolute_url()),
        "deadline": response_deadline(jury, report.published_at),
    }
    messages = [(m, {**context, "role": m.role, "person": m.user}) for m in members]
    transaction.on_commit(
        lambda: [emails.queue(name, to=member, context=extra) for member, extra in messages]
    )


def publish_report(jury, by):
    """Publish the jury's first report. Needs Action.PUBLISH_REPORT (facilitators).

    Requires the report stage and a closed vote; refused with `AlreadyPublished` (a
    `ReportIsFrozen`) once a report exists, so publishing twice changes nothing. Locks the jury
    row; freezes version 1 with its files; moves the jury to the response stage; records it in
    the audit log; emits `report.published`; after commit, queues the PDF and the emails to
    jurors and oversight members.
    """
    with transaction.atomic():
        locked = (
            Jury.objects.select_for_update(of=("self",))
            .select_related("oversight_body")
            .get(pk=jury.pk)
        )
        if Report.objects.filter(jury=locked).exists():
            raise AlreadyPublished(
                _("The report is already published. To change it, publish a correction.")
            )
        if locked.stage != Stage.REPORT:
            raise ReportError(_("The report can only be published at the report stage."))
        vote = closed_vote(locked)
        if vote is None:
            raise ReportError(_("The report can only be published once the vote has closed."))
        if vote.ranking and vote.ranking_closed_at is None:
            raise ReportError(_("The priority ranking is still open: close it first."))
        report = _publish_version(locked, by, version=1)
        change_stage(
            jury=locked, to_stage=Stage.RESPONSE, by=by, note=_("The report was published.")
        )
        audit.record(
            actor=by,
            action="report.publish",
            summary=_("Published the report (SHA-256 %(sha)s).") % {"sha": report.sha256},
            jury=locked,
            target=report,
            data=chain_data(report),
        )
    jury.stage = locked.stage
    return report


def publish_correction(jury, by, reason):
    """Publish a corrected version built from the jury's data as it is now, with `reason`
    (required). Needs Action.PUBLISH_REPORT. Every earlier version stays public unchanged. Locks
    the jury row; records it in the audit log; emits `report.published`; queues the PDF and the
    emails after commit."""
    reason = (reason or "").strip()
    if not reason:
        raise ReportError(_("Say what the correction changes and why."))
    with transaction.atomic():
        locked = (
            Jury.objects.select_for_update(of=("self",))
            .select_related("oversight_body")
            .get(pk=jury.pk)
        )
        latest = Report.objects.filter(jury=locked).order_by("-version").first()
        if latest is None:
            raise ReportError(_("There is no published report to correct yet."))
        report = _publish_version(locked, by, version=latest.version + 1, reason=reason)
        audit.record(
            actor=by,
            action="report.correct",
            summary=_("Published version %(version)s of the report. Reason given: %(reason)s")
            % {"version": report.version, "reason": reason},
            jury=locked,
            target=report,
            data=chain_data(report),
        )
    return report


def chain_data(report):
    """What the audit log records of a version: its number and each stored file's SHA-256 (the
    PDF's is recorded when the worker has made it, see `voting.report_files`)."""
    files = report.files.exclude(sha256="").order_by("format").values_list("format", "sha256")
    return {"report": report.version, "sha256": report.sha256, "files": dict(files)}


# --- Reading and checking ------------------------------------------------------------------


def versions_of(jury):
    """Every published version, oldest first, each knowing the version that corrected it."""
    reports = list(
        Report.objects.filter(jury=jury)
        .select_related("jury")
        .order_by("version")
        .prefetch_related("files")
    )
    for report, later in zip(reports, [*reports[1:], None], strict=True):
        report.corrected_by = later
    return reports
