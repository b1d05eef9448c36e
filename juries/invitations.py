"""Inviting people to a jury, and accepting an invitation. Signup is open only through these."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from . import audit, emails, text_limits
from .models import Invitation, InvitationState, Membership, Role
from .refusals import Refused

SESSION_KEY = "deliberate_invitation_token"
MAX_LINES = 500
MAX_EMAIL_LENGTH = 254
SHOWN_LINE_LENGTH = 100


ALREADY_INVITED = _lazy(
    "This person already has an invitation that has not been accepted; "
    "you can send it again from the dashboard instead."
)


class InvitationError(Refused):
    pass


@dataclass
class Line:
    number: int
    text: str
    email: str = ""
    role: str = ""


@dataclass
class BulkResult:
    invited: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # (line number, text as given, reason)


ROLE_WORDS = {
    **{role.value: role for role in Role},
    **{str(role.label).lower(): role for role in Role},
    "oversight member": Role.OVERSIGHT,
}


def _role_from(word, default_role):
    word = (word or "").strip().lower()
    if not word:
        return default_role
    return ROLE_WORDS.get(word)


def _email_problem(email):
    """Why `email` cannot be invited, or None."""
    too_long = text_limits.too_long(email, MAX_EMAIL_LENGTH, subject=_("The email address"))
    if too_long:
        return too_long
    try:
        validate_email(email)
    except ValidationError:
        return _("This is not an email address.")
    return None


def _shortened(line):
    """A line as the list of problems shows it: a pasted page is not repeated back whole."""
    return line if len(line) <= SHOWN_LINE_LENGTH else line[:SHOWN_LINE_LENGTH] + "…"


def read_lines(text, default_role):
    """Turn a pasted list or CSV text into Lines and problems.

    Each line is an email address, optionally followed by a comma and a role. A first line
    naming the columns ("email,role") is skipped.
    """
    lines, problems = [], []
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return [], [
            (1, text[:80], _("This list could not be read. Put one email address on each line."))
        ]
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        original = ", ".join(cells)
        if not lines and not problems and cells[0].lower() in {"email", "email address", "e-mail"}:
            continue
        if len(lines) + len(problems) >= MAX_LINES:
            problems.append(
                (
                    number,
                    original,
                    _("More than %(max)s lines: send the rest separately.") % {"max": MAX_LINES},
                )
            )
            break
        email = cells[0].lower()
        role = _role_from(cells[1] if len(cells) > 1 else "", default_role)
        problem = _email_problem(email)
        if problem:
            problems.append((number, _shortened(original), problem))
            continue
        if role is None:
            problems.append(
                (
                    number,
                    original,
                    _("Unknown role “%(role)s”. Use one of: %(roles)s.")
                    % {"role": cells[1], "roles": ", ".join(r.value for r in Role)},
                )
            )
            continue
        lines.append(Line(number=number, text=original, email=email, role=role))
    return lines, problems


def _problem_with(jury, email, seen):
    if email in seen:
        return _("This address appears more than once in the list.")
    if Membership.objects.filter(jury=jury, user__email__iexact=email).exists():
        return _("This person is already a member of the jury.")
    if jury.invitations.pending().filter(email=email).exists():
        return ALREADY_INVITED
    return None


def invite_many(*, jury, lines, by, request=None):
    """Invite every usable line; report every other one. All invitations are made together."""
    result = BulkResult()
    seen = set()
    usable = []
    for line in lines:
        problem = _problem_with(jury, line.email, seen)
        seen.add(line.email)
        if problem:
            result.problems.append((line.number, line.text, problem))
        else:
            usable.append(line)
    with transaction.atomic():
        for line in usable:
            try:
                invitation = _create_or_renew(jury, line, by)
            except IntegrityError:  # the same address invited at the same moment
                result.problems.append((line.number, line.text, ALREADY_INVITED))
                continue
            audit.record(
                actor=by,
                action="invitation.create",
                jury=jury,
                target=invitation,
                summary=_("Invited a new %(role)s (invitation %(number)s).")
                % {"role": invitation.get_role_display().lower(), "number": invitation.pk},
            )
            _send(invitation)
            result.invited.append(invitation)
    return result


def _create_or_renew(jury, line, by):
    """A new invitation, or the address's expired one given a new date and the new role."""
    with transaction.atomic():
        expired = jury.invitations.open().filter(email=line.email).select_for_update().first()
        if expired is None:
            return Invitation.objects.create(
                jury=jury, email=line.email, role=line.role, invited_by=by
            )
        expired.role, expired.invited_by, expired.expires_at = line.role, by, None
        expired.save()
        return expired


def invite(*, jury, email, role, by, request=None):
    """Invite one person. Raises InvitationError with a plain reason if that is not possible."""
    lines, problems = read_lines(f"{email},{role}", Role.JUROR)
    if problems:
        raise InvitationError(problems[0][2])
    result = invite_many(jury=jury, lines=lines, by=by, request=request)
    if result.problems:
        raise InvitationError(result.problems[0][2])
    return result.invited[0]


def _send(invitation):
    """Queue the invitation by reference: its link (and token) is read when it is sent."""
    invitation.last_sent_at = timezone.now()
    invitation.times_sent += 1
    invitation.save(update_fields=["last_sent_at", "times_sent"])
    emails.queue(
        "juries/email/invitation",
        to=invitation,
        context={"invitation": invitation, "jury": invitation.jury},
    )


def resend(*, invitation, by, request=None):
    """Send the invitation again; an expired one gets a fresh expiry date."""
    if invitation.state in (InvitationState.ACCEPTED, InvitationState.REVOKED):
        raise InvitationError(
            _("This invitation was %(state)s, so it cannot be sent again.")
            % {"state": invitation.get_state_label().lower()}
        )
    with transaction.atomic():
        if invitation.state == InvitationState.EXPIRED:
            invitation.expires_at = None
            invitation.save()
        audit.record(
            actor=by,
            action="invitation.resend",
            jury=invitation.jury,
            target=invitation,
            summary=_("Sent invitation %(number)s again.") % {"number": invitation.pk},
        )
        _send(invitation)


def revoke(*, invitation, by):
    if invitation.state != InvitationState.PENDING and invitation.state != InvitationState.EXPIRED:
        raise InvitationError(_("Only an invitation that has not been accepted can be withdrawn."))
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit.record(
            actor=by,
            action="invitation.revoke",
            jury=invitation.jury,
            target=invitation,
            summary=_("Withdrew invitation %(number)s.") % {"number": invitation.pk},
        )


def accept(*, invitation, user):
    """Make `user` a member with the invited role.

    The account's email must be the invited address: an invitation link forwarded to someone
    else cannot be used to join. Locks the invitation so two tabs accept it once.
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.state != InvitationState.PENDING:
            raise InvitationError(_("This invitation can no longer be used."))
        if user.email.lower() != invitation.email:
            raise InvitationError(_("This invitation was sent to a different email address."))
        existing = Membership.objects.filter(jury=invitation.jury, user=user).first()
        if existing and existing.role != invitation.role:
            raise InvitationError(
                _(
                    "You are already a %(role)s in this jury. Ask a facilitator if your role should change."
                )
                % {"role": existing.get_role_display().lower()}
            )
        try:
            membership = existing or Membership.objects.create(
                jury=invitation.jury, user=user, role=invitation.role
            )
        except IntegrityError as error:  # accepted twice at the same moment
            raise InvitationError(_("You are already a member of this jury.")) from error
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit.record(
            actor=user,
            action="invitation.accept",
            jury=invitation.jury,
            target=membership,
            subject=user,
            summary=_("{person} accepted the invitation and joined as %(role)s.")
            % {"role": membership.get_role_display()},
        )
    return membership


def pending_from_session(request):
    """The still-usable invitation this browser opened, if any."""
    token = request.session.get(SESSION_KEY)
    if not token:
        return None
    invitation = Invitation.objects.select_related("jury").filter(token=token).first()
    if invitation is None or not invitation.is_pending:
        return None
    return invitation
