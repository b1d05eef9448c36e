"""The oversight body's answers: recording an answer, progress updates.

Only recommendations the jury adopted (`Recommendation.is_adopted`) are answered, by the
deadline `voting.deadlines` defines.

Every wording of an answer is kept as a ResponseRevision (the audit log also says who changed
what). Services own their transaction, write the audit log, publish one event to the jury's stream
and email the jurors through the worker.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from juries import audit, emails, events
from juries.numbers import percent_value
from juries.permissions import Action
from juries.refusals import Refused

from .deadlines import deadline_for
from .models import ProgressUpdate, Recommendation, Response, ResponseStatus
from .models.decisions import LEVEL_LABELS, OUTCOME_LABELS
from .models.drafting import voted_q
from .models.responses import ResponseRevision
from .tally import Level

ANSWER_FRAGMENT = "voting/responses/_answer.html#answer-pushed"


class ResponseError(Refused):
    """An answer or progress update that cannot be recorded; its message is shown as it is."""


class ResponseConflict(ResponseError):
    """The answer changed (or was first given) after the form was opened. `current` is the
    answer as it stands now, so the page can show it beside the text the member typed."""

    def __init__(self, current):
        super().__init__(
            _(
                "Someone changed this answer after you opened it. Their answer is shown above; "
                "your text is kept below. Check it and publish again."
            )
        )
        self.current = current


# --- The answer pages -----------------------------------------------------------------------


def response_of(recommendation):
    """The recommendation's Response, or None (without raising)."""
    try:
        return recommendation.response
    except Response.DoesNotExist:
        return None


def earlier_wordings(response):
    """The ResponseRevisions `response` replaced, newest first (none for None). Reads
    `revisions`: prefetch them when showing many answers."""
    if response is None:
        return []
    revisions = [r for r in response.revisions.all() if r.version < response.version]
    return sorted(revisions, key=lambda revision: revision.version, reverse=True)


def recommendations_for_answers(jury):
    """The jury's voted recommendations with what the answer pages show, in a fixed number of
    queries whatever their number: result, response, its progress updates and wordings."""
    return (
        Recommendation.objects.active()
        .filter(voted_q(), jury=jury)
        .select_related("response")
        .prefetch_related("response__updates", "response__revisions")
        .with_result()
        .order_by("number")
    )


@dataclass(frozen=True)
class Support:
    """A recommendation's support in the closed vote, as the pages show it."""

    levels: list  # (label, number of ballots), strongest support first, abstentions last
    ballots: int
    accepting: int
    sides: int
    outcome: str

    @property
    def accepting_percent(self):
        return percent_value(self.accepting, self.sides)


def support_of(result):
    tally = result.tally()
    return Support(
        levels=[(LEVEL_LABELS[level], tally.counts[level]) for level in Level],
        ballots=tally.ballots,
        accepting=tally.accepting,
        sides=tally.sides,
        outcome=OUTCOME_LABELS.get(result.outcome, result.outcome),
    )


@dataclass(frozen=True)
class AnswerRow:
    """One voted recommendation on the answer pages, with everything they show about it."""

    recommendation: Recommendation
    support: Support
    adopted: bool
    response: Response | None
    updates: list
    overdue: bool
    earlier: list  # the answer's earlier wordings (ResponseRevision), newest first

    @property
    def latest_update(self):
        return self.updates[-1] if self.updates else None


def answer_rows(jury, deadline):
    """The jury's voted recommendations as AnswerRows, in a fixed number of queries."""
    rows = []
    for recommendation in recommendations_for_answers(jury):
        response = response_of(recommendation)
        rows.append(
            AnswerRow(
                recommendation=recommendation,
                support=support_of(recommendation.result),
                adopted=recommendation.is_adopted,
                response=response,
                updates=list(response.updates.all()) if response else [],
                overdue=deadline.overdue(recommendation),
                earlier=earlier_wordings(response),
            )
        )
    return rows


# --- Recording answers -----------------------------------------------------------------------


FIELDS = ("status", "reasons", "planned_action", "owner", "due_by")


def _refuse_unless_answerable(recommendation):
    if deadline_for(recommendation.jury).date is None:
        raise ResponseError(
            _("The jury's report is not published yet, so its recommendations cannot be answered.")
        )
    if not recommendation.is_adopted:
        raise ResponseError(
            _("Only recommendations the jury adopted are answered, and this one was not adopted.")
        )


def _clean_status(status):
    if status not in ResponseStatus.values:
        raise ResponseError(_("Choose one of the answers."))
    return ResponseStatus(status)


def what_changed(before_wording, values):
    """Readable list of what changes from `before_wording` (a Response or ResponseRevision) to
    `values` (a dict of FIELDS), for the audit log and the feed; empty when nothing does."""
    labels = {name: Response._meta.get_field(name).verbose_name for name in FIELDS}
    changed = []
    for name in FIELDS:
        before, after = getattr(before_wording, name), values[name]
        if before == after:
            continue
        if name == "status":
            changed.append(
                _("answer: “%(before)s” to “%(after)s”")
                % {"before": ResponseStatus(before).label, "after": ResponseStatus(after).label}
            )
        else:
            changed.append(str(labels[name]))
    return changed


def record_response(
    recommendation, by, status, reasons, planned_action="", owner="", due_by=None, based_on=None
):
    """Answer an adopted recommendation, or revise the answer (`based_on`: the `version` the
    member started from, None for a first answer). Needs Action.ANSWER_RECOMMENDATIONS.

    Locks the recommendation row. If an answer exists and `based_on` is not its version, saves
    nothing and raises ResponseConflict (carrying the current answer). Otherwise keeps the
    wording as a ResponseRevision (a revision adds one to `version`), audits what changed,
    publishes "response.recorded" / "response.revised" and emails the jurors. Raises
    ResponseError before publication, for a recommendation not adopted, or without reasons.
    Returns the Response with `changed` False (nothing recorded) when the text was the same.
    """
    reasons = (reasons or "").strip()
    values = {
        "status": _clean_status(status),
        "reasons": reasons,
        "planned_action": (planned_action or "").strip(),
        "owner": (owner or "").strip(),
        "due_by": due_by,
    }
    if not reasons:
        raise ResponseError(
            _("Give the reasons for the answer: the jury and the public read them.")
        )
    with transaction.atomic():
        recommendation = (
            Recommendation.objects.select_for_update(of=("self",))
            .select_related("jury")
            .get(pk=recommendation.pk)
        )
        _refuse_unless_answerable(recommendation)
        response = Response.objects.filter(recommendation=recommendation).first()
        if response is not None and based_on != response.version:
            raise ResponseConflict(response)
        if response is None:
            response = Response.objects.create(
                recommendation=recommendation, answered_by=by, **values
            )
            kind, summary = (
                "response.recorded",
                _("Answered recommendation %(number)s: %(status)s."),
            )
            summary %= {"number": recommendation.number, "status": response.get_status_display()}
        else:
            changed = what_changed(response, values)
            if not changed:
                response.changed = False
                return response
            for name, value in values.items():
                setattr(response, name, value)
            response.version += 1  # safe: the recommendation's lock serialises revisions
            response.save()
            kind = "response.revised"
            summary = _("Changed the answer to recommendation %(number)s: %(changes)s.") % {
                "number": recommendation.number,
                "changes": "; ".join(changed),
            }
        ResponseRevision.objects.create(
            response=response, version=response.version, by=by, **values
        )
        audit.record(
            actor=by, action=kind, jury=recommendation.jury, target=response, summary=summary
        )
        _announce(response, kind)
    response.changed = True
    return response


def add_progress(response, by, status, note, percent_done):
    """Add a progress update to an answer; the answer's status becomes `status`. Needs
    Action.ANSWER_RECOMMENDATIONS.

    Audited, publishes "response.progress" and emails the jurors. Raises ResponseError for a
    percentage outside 0–100, an empty note, or an unknown status.
    """
    status = _clean_status(status)
    note = (note or "").strip()
    if not note:
        raise ResponseError(_("Say what has happened since the last update."))
    if not isinstance(percent_done, int) or not 0 <= percent_done <= 100:
        raise ResponseError(_("Give how much is done as a whole number from 0 to 100."))
    with transaction.atomic():
        response = (
            Response.objects.select_for_update(of=("self",))
            .select_related("recommendation__jury")
            .get(pk=response.pk)
        )
        update = ProgressUpdate.objects.create(
            response=response, status=status, note=note, percent_done=percent_done, by=by
        )
        if response.status != status:
            # update(), not save(): `updated_at` says when the answer itself was last revised.
            Response.objects.filter(pk=response.pk).update(status=status)
            response.status = status
        recommendation = response.recommendation
        audit.record(
            actor=by,
            action="response.progress",
            jury=recommendation.jury,
            target=response,
            summary=_("Progress on recommendation %(number)s: %(percent)s%% done, %(status)s.")
            % {
                "number": recommendation.number,
                "percent": percent_done,
                "status": status.label,
            },
        )
        _announce(response, "response.progress", update=update)
    return update


def _announce(response, kind, update=None):
    """The live event and the jurors' emails for a change to `response` (inside the caller's
    transaction: the emails are queued with it, and sent by the worker)."""
    recommendation = response.recommendation
    jury = recommendation.jury
    texts = {
        "response.recorded": _("Recommendation %(number)s has been answered."),
        "response.revised": _("The answer to recommendation %(number)s has changed."),
        "response.progress": _("There is news on recommendation %(number)s."),
    }
    announce = texts[kind] % {"number": recommendation.number}
    events.publish(
        jury,
        kind,
        requires=Action.VIEW_JURY,
        template=ANSWER_FRAGMENT,
        context={
            "recommendation": recommendation,
            "response": response,
            "updates": list(response.updates.all()),
            "earlier": earlier_wordings(response),
            "announce": announce,
        },
        data={"recommendation": recommendation.pk, "response": response.pk},
    )
    _email_jurors(response, kind, update)


def answer_url(jury, recommendation):
    return (
        reverse("voting:accountability", args=[jury.slug])
        + f"#recommendation-{recommendation.number}"
    )


def discuss_url(jury, response):
    return reverse("deliberate:discuss", args=[jury.slug, "voting.response", response.pk])


def _email_jurors(response, kind, update):
    recommendation = response.recommendation
    jury = recommendation.jury
    jurors = jury.memberships.jurors().reachable().select_related("user")
    context = {
        "jury": jury,
        "recommendation": recommendation,
        "response": response,
        "update": update,
        "kind": kind,
        "url": settings.SITE_URL + answer_url(jury, recommendation),
        "discuss_url": settings.SITE_URL + discuss_url(jury, response),
    }
    for membership in jurors:
        emails.queue("voting/email/response_changed", to=membership, context=context)
