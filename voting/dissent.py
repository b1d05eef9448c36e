"""Statements of dissent and jurors' sign-off of the final text.

A statement of dissent is never edited or removed by anyone: jurors write it and put their names
to it; a facilitator can only hide it for a stated legal reason, which is recorded in the audit
log and shown in its place (the words stay stored, for facilitators and observers). Names can be
added or taken off, and jurors can sign off, only until the first report is published: the
published report counts them as they were.

Every function owns its transaction and locks the jury row, so a publication running at the same
moment either sees the change or refuses it. Callers have checked the permission named in each
docstring (`juries.permissions`); the functions check the facts only they can see.
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from juries import audit, events
from juries.models import Jury
from juries.permissions import (
    Action,
    access_for,
    has_signed,
    may_sign_dissent,
    signs_as_juror,
)
from juries.refusals import Refused

from .models import Dissent, DissentSigner, Report, SignOff, SignOffChoice


class DissentError(Refused):
    """A change that cannot be made; its message is shown to the person as it is."""


def _lock_unpublished(jury, message):
    """Lock the jury row and refuse once a report is out (the caller's transaction holds it)."""
    Jury.objects.select_for_update().filter(pk=jury.pk).first()
    if Report.objects.filter(jury=jury).exists():
        raise DissentError(message)


def _publish(dissent, kind):
    # Small event: pages showing the dissent reload their panel; nothing secret is in it.
    events.publish(
        dissent.jury,
        kind,
        requires=Action.VIEW_RECOMMENDATIONS,
        data={
            "dissent": dissent.pk,
            "recommendation": dissent.recommendation.number if dissent.recommendation else None,
        },
    )


def write_dissent(jury, by, text, recommendation=None):
    """Write a statement of dissent about `recommendation`, or about the report as a whole when it
    is None; the writer is its first signer. Needs Action.WRITE_DISSENT (jurors, while the jury
    votes or checks the report). Refused once a report is published. Emits `dissent.written`."""
    text = (text or "").strip()
    if not text:
        raise DissentError(_("Write your statement of dissent before saving it."))
    if recommendation is not None and (
        recommendation.jury_id != jury.pk or not recommendation.is_active
    ):
        raise DissentError(_("That recommendation is no longer one the jury is deciding on."))
    with transaction.atomic():
        _lock_unpublished(
            jury, _("The report is published: statements of dissent can no longer be added.")
        )
        dissent = Dissent.objects.create(
            jury=jury, recommendation=recommendation, text=text, written_by=by
        )
        DissentSigner.objects.create(dissent=dissent, juror=by)
        _publish(dissent, "dissent.written")
    return dissent


def add_signature(dissent, juror):
    """Put `juror`'s name to a statement of dissent (once; a second time changes nothing). Needs
    Action.WRITE_DISSENT. Refused for a hidden statement and once a report is published."""
    if dissent.is_hidden:
        raise DissentError(_("This statement is hidden, so names can no longer be added to it."))
    if not signs_as_juror(access_for(juror, dissent.jury)):
        raise DissentError(_("Only jurors can put their name to a statement of dissent."))
    with transaction.atomic():
        _lock_unpublished(dissent.jury, _("The report is published: names can no longer be added."))
        try:
            with transaction.atomic():
                signer, created = DissentSigner.objects.get_or_create(dissent=dissent, juror=juror)
        except IntegrityError:  # the same juror signing twice at once: the name is there once
            return DissentSigner.objects.get(dissent=dissent, juror=juror)
        if created:
            _publish(dissent, "dissent.signed")
    return signer


def remove_signature(dissent, juror):
    """Take `juror`'s own name off a statement of dissent. Needs Action.WRITE_DISSENT. Refused once
    a report is published, and for the last name (a statement is never left without a signer,
    because it is never removed)."""
    with transaction.atomic():
        _lock_unpublished(
            dissent.jury, _("The report is published: names can no longer be taken off.")
        )
        signers = DissentSigner.objects.filter(dissent=dissent)
        if not signers.filter(juror=juror).exists():
            return False
        if signers.count() == 1:
            raise DissentError(
                _(
                    "Yours is the only name on this statement, and a statement of dissent is never "
                    "removed, so your name stays."
                )
            )
        signers.filter(juror=juror).delete()
        _publish(dissent, "dissent.unsigned")
    return True


def mark_for(dissents, access):
    """Set `signed_by_me` and `may_sign` (the person may add their name or take it off, see
    `juries.permissions.may_sign_dissent`) on each statement, from its prefetched signers;
    returns the list."""
    dissents = list(dissents)
    for dissent in dissents:
        dissent.signed_by_me = has_signed(access, dissent)
        dissent.may_sign = may_sign_dissent(access, dissent)
    return dissents


def hide_dissent(dissent, by, reason):
    """Hide a statement of dissent for a stated legal reason. Needs Action.HIDE_DISSENT
    (facilitators). The reason is required, recorded in the audit log and shown in place of the
    words; the words stay stored. There is deliberately no way to edit, delete or un-hide one."""
    reason = (reason or "").strip()
    if not reason:
        raise DissentError(_("Give the legal reason for hiding this statement."))
    with transaction.atomic():
        locked = (
            Dissent.objects.select_for_update(of=("self",))
            .select_related("jury")
            .get(pk=dissent.pk)
        )
        if locked.is_hidden:
            raise DissentError(_("This statement is already hidden."))
        locked.hidden_at = timezone.now()
        locked.hidden_by = by
        locked.hidden_reason = reason[:500]
        locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        audit.record(
            actor=by,
            action="dissent.hide",
            summary=_("Hid a statement of dissent. Reason given: %(reason)s") % {"reason": reason},
            jury=locked.jury,
            target=locked,
        )
        _publish(locked, "dissent.hidden")
    dissent.hidden_at, dissent.hidden_by, dissent.hidden_reason = (
        locked.hidden_at,
        by,
        locked.hidden_reason,
    )
    return dissent


def sign_off(jury, juror, choice, note=""):
    """Record `juror`'s confirmation of, or objection to, the final text; a second choice replaces
    the first. Needs Action.SIGN_OFF (jurors, at the report stage). Refused once the first report
    is published. Emits `report.signed-off` with the counts only."""
    choice = SignOffChoice(choice)
    with transaction.atomic():
        _lock_unpublished(jury, _("The report is published: sign-off has closed."))
        signed, _created = SignOff.objects.update_or_create(
            jury=jury, juror=juror, defaults={"choice": choice, "note": (note or "").strip()}
        )
        events.publish(
            jury,
            "report.signed-off",
            requires=Action.VIEW_RECOMMENDATIONS,
            data=sign_off_counts(jury),
        )
    return signed


def sign_off_counts(jury):
    """How many of the jury's jurors confirmed the final text, objected, or have not said yet.
    Only current jurors count: a juror who left the jury no longer speaks for it."""
    jurors = jury.memberships.jurors().values("user_id")
    counts = SignOff.objects.filter(jury=jury, juror_id__in=jurors).aggregate(
        confirmed=Count("pk", filter=Q(choice=SignOffChoice.CONFIRM)),
        objected=Count("pk", filter=Q(choice=SignOffChoice.OBJECT)),
    )
    total = jury.memberships.jurors().count()
    return {
        "jurors": total,
        "confirmed": counts["confirmed"],
        "objected": counts["objected"],
        "not_yet": max(total - counts["confirmed"] - counts["objected"], 0),
    }
