"""Changing the address a person signs in with.

Two ways, and neither lets anyone but the person decide:

- the person changes it on allauth's email page, proving the new address with a code sent to it;
- staff ask for a change in the admin (`request_email_change`), for someone who cannot use that
  page. Nothing changes then: a link goes to the person's *current* address, and only following
  it and confirming (`confirm_email_change`) changes it. So staff who type in an address of
  their own get no sign-in code and no ballot: the link goes to the person, not to them.

Whichever way, the same three things follow a change: it is recorded in the audit log of each of
their juries, the person is signed out of their other devices, and the old address is told. A
change they did not make therefore cannot go unnoticed, and an address taken over cannot keep a
session it did not sign in to.

The confirmation link is signed (django.core.signing) and carries the person's id, the new address
and a keyed hash of the current one, so nothing about a pending change is stored anywhere; it
stops working when it is too old, when the address has changed since (including by this link:
it works once), and when the person's account is deleted.
"""

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.usersessions.adapter import get_adapter as get_sessions_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit, emails
from .models import User
from .permissions import may_ask_to_change_address
from .refusals import Refused

NOT_FOR_STAFF = gettext_lazy("Only a superuser may ask to change the address of a member of staff.")
# How long the link sent to the current address works.
CONFIRM_WITHIN = datetime.timedelta(days=3)
_LINK_SALT = "juries.addresses.confirm-change"
_CURRENT_SALT = "juries.addresses.current-address"


class EmailChangeError(Refused):
    pass


class ChangeLinkError(Refused):
    """A confirmation link that cannot be used. `status` is the HTTP status to answer with; the
    message is safe to show to anyone holding the link (it names no person or address)."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class PendingChange:
    user: User
    new_email: str


def _checked_address(user, new_email):
    """`new_email`, normalised, if `user` (locked, current) may move to it; else EmailChangeError."""
    new_email = (new_email or "").strip().lower()
    try:
        validate_email(new_email)
    except ValidationError as error:
        raise EmailChangeError(_("Enter a valid email address.")) from error
    if user.is_deleted:
        raise EmailChangeError(_("This account has been deleted."))
    if new_email == user.email.lower():
        raise EmailChangeError(_("That is already the address this person signs in with."))
    taken = User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists()
    if taken or EmailAddress.objects.filter(email__iexact=new_email).exclude(user=user).exists():
        raise EmailChangeError(_("Another account already uses that address."))
    return new_email


def _fingerprint(email):
    """A keyed hash of an address: the link can tell the address has changed without holding it."""
    return salted_hmac(_CURRENT_SALT, email.strip().lower()).hexdigest()[:32]


def _contacts(memberships):
    return sorted({m.jury.help_contact for m in memberships} - {""})


def request_email_change(*, user, new_email, by):
    """Staff ask for `user` to sign in with `new_email` (the admin's "Ask to change the email
    address"). Changes nothing: sends a confirmation link to the person's current address.

    Needs staff `by` allowed by `permissions.may_ask_to_change_address`, a valid address no other account uses, and
    an account not deleted. Locks the person's row. Records the request in the audit log of each
    of their juries (no address in it) and, once committed, sends the link at once, never
    through the task table: the link is a secret. Raises EmailChangeError with a message for staff.
    """
    if not may_ask_to_change_address(by, user):
        raise EmailChangeError(NOT_FOR_STAFF)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        new_email = _checked_address(user, new_email)
        memberships = list(user.memberships.select_related("jury"))
        summary = _(
            "Staff asked to change the email address %(name)s signs in with; a link to confirm "
            "it was sent to their current address. Nothing changes unless they follow it."
        ) % {"name": audit.PERSON}
        for membership in memberships or [None]:
            audit.record(
                actor=by,
                action="account.email-change-request",
                jury=membership.jury if membership else None,
                target=membership,
                subject=user,
                summary=summary,
            )
        token = signing.dumps(
            {"u": user.pk, "e": new_email, "h": _fingerprint(user.email)},
            salt=_LINK_SALT,
            compress=True,
        )
        context = {
            "new_email": new_email,
            "link": settings.SITE_URL + reverse("juries:confirm-address-change", args=[token]),
            "valid_days": CONFIRM_WITHIN.days,
            "contacts": _contacts(memberships),
        }
        current = user.email
        transaction.on_commit(
            lambda: emails.send_now("juries/email/address_change_request", current, context)
        )
    return user


_NOT_VALID = gettext_lazy(
    "This link is not valid. Check that you copied the whole link from the email."
)
_EXPIRED = gettext_lazy(
    "This link has expired. If you still want to change your address, ask the people running "
    "your jury to send a new one."
)
_USED = gettext_lazy(
    "This link can no longer be used. It may have been used already, or something has changed "
    "since it was sent. Nothing was changed now."
)


def read_change_link(token):
    """The change a confirmation link asks for, if it can still be made; else ChangeLinkError.

    Checks the signature and age, that the person still exists and is not deleted, that their
    address is still the one the link was sent to, and that the new address is still free.
    Locks nothing (see `confirm_email_change`).
    """
    try:
        data = signing.loads(token, salt=_LINK_SALT, max_age=CONFIRM_WITHIN)
        user_id, new_email, fingerprint = data["u"], data["e"], data["h"]
    except signing.SignatureExpired as error:
        raise ChangeLinkError(_EXPIRED, status=410) from error
    except (signing.BadSignature, TypeError, KeyError, ValueError) as error:
        raise ChangeLinkError(_NOT_VALID, status=400) from error
    user = User.objects.filter(pk=user_id).first()
    if (
        user is None
        or user.is_deleted
        or not constant_time_compare(fingerprint, _fingerprint(user.email))
    ):
        raise ChangeLinkError(_USED, status=410)
    try:
        new_email = _checked_address(user, new_email)
    except EmailChangeError as error:
        raise ChangeLinkError(_USED, status=410) from error
    return PendingChange(user=user, new_email=new_email)


def confirm_email_change(*, token):
    """The person, following the link sent to their current address, makes the change staff
    asked for. Needs a link `read_change_link` accepts; the person need not be signed in.

    Locks the person's row and checks the link again under the lock, so it works once. Then as
    after any change (`change_email`): audited, every session of theirs ended, the old address
    told; the new address is unverified until they sign in with a code sent to it.
    Returns the PendingChange; raises ChangeLinkError.
    """
    with transaction.atomic():
        change = read_change_link(token)
        User.objects.select_for_update().get(pk=change.user.pk)
        change = read_change_link(token)  # again, now that nobody else can change the row
        try:
            change_email(user=change.user, new_email=change.new_email, by=change.user)
        except EmailChangeError as error:
            raise ChangeLinkError(_USED, status=410) from error
    return change


def change_email(*, user, new_email, by):
    """Give `user` a new sign-in address: what a confirmed request from staff does (see
    `confirm_email_change`; `by` is then the person themselves).

    Needs a valid address that no other account uses. Locks the person's row. The new address is
    unverified until the person signs in with a code sent to it (which proves it is theirs). Then
    as after any change: audited, every session of theirs ended, the old address told.
    Raises EmailChangeError with a message for staff.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        new_email = _checked_address(user, new_email)
        old_email = user.email
        EmailAddress.objects.filter(user=user).delete()
        EmailAddress.objects.create(user=user, email=new_email, primary=True, verified=False)
        user.email = new_email
        user.save(update_fields=["email"])
        record_email_change(user=user, old_email=old_email, by=by, asked_by_staff=True)
    return user


def record_email_change(*, user, old_email, by, keep_session_key=None, asked_by_staff=False):
    """What follows every change of a person's sign-in address, however it was made.

    Writes an entry in the audit log of each jury they belong to (or one without a jury), ends
    every session of theirs except `keep_session_key` (the page they changed it from, if they did
    it themselves) and sends a notice to `old_email` once the change is committed (at once, not
    through the task table, which would keep the old address). Neither address is written in the
    log. `asked_by_staff`: the change was one staff asked for and the person confirmed.
    """
    if asked_by_staff:
        summary = _(
            "%(name)s confirmed the change of the email address they sign in with that staff "
            "asked for; they were signed out everywhere and their old address was told."
        )
    else:
        summary = _("%(name)s changed the email address they sign in with.")
    summary %= {"name": audit.PERSON}
    with transaction.atomic():
        memberships = list(user.memberships.select_related("jury"))
        for membership in memberships:
            audit.record(
                actor=by,
                action="account.email-change",
                jury=membership.jury,
                target=membership,
                subject=user,
                summary=summary,
            )
        if not memberships:
            audit.record(actor=by, action="account.email-change", subject=user, summary=summary)
        end_sessions(user, keep_session_key=keep_session_key)
        # Sent at once, after commit: queued, the old address would wait in the task table,
        # and nothing else keeps it.
        context = {
            "asked_by_staff": asked_by_staff,
            "when": timezone.now(),
            "contacts": _contacts(memberships),
        }
        transaction.on_commit(
            lambda: emails.send_now("juries/email/address_changed", old_email, context)
        )


def end_sessions(user, *, keep_session_key=None):
    """Sign `user` out everywhere (but the session `keep_session_key`), the way "Devices where
    you are signed in" ends a session."""
    sessions = UserSession.objects.filter(user=user)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    get_sessions_adapter().end_sessions(list(sessions))
