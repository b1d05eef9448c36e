"""Changing the address a person signs in with.

Whoever makes the change (the person on allauth's email page, or staff in the admin), the same
three things follow: it is recorded in the audit log of each of their juries, the person is signed
out of their other devices, and the old address is told. A change they did not make therefore
cannot go unnoticed, and an address taken over cannot keep a session it did not sign in to.
"""

from allauth.account.models import EmailAddress
from allauth.usersessions.adapter import get_adapter as get_sessions_adapter
from allauth.usersessions.models import UserSession
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, emails
from .models import User


class EmailChangeError(ValueError):
    pass


def change_email(*, user, new_email, by):
    """Staff give `user` a new sign-in address (the admin's "Change email address").

    Needs a valid address that no other account uses. Locks the person's row. The new address is
    unverified until the person signs in with a code sent to it (which proves it is theirs). Then
    as after any change: audited, every session of theirs ended, the old address told.
    Raises EmailChangeError with a message for staff.
    """
    new_email = (new_email or "").strip().lower()
    try:
        validate_email(new_email)
    except ValidationError as error:
        raise EmailChangeError(_("Enter a valid email address.")) from error
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_deleted:
            raise EmailChangeError(_("This account has been deleted."))
        old_email = user.email
        if new_email == old_email:
            raise EmailChangeError(_("That is already the address this person signs in with."))
        taken = User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists()
        if (
            taken
            or EmailAddress.objects.filter(email__iexact=new_email).exclude(user=user).exists()
        ):
            raise EmailChangeError(_("Another account already uses that address."))
        EmailAddress.objects.filter(user=user).delete()
        EmailAddress.objects.create(user=user, email=new_email, primary=True, verified=False)
        user.email = new_email
        user.save(update_fields=["email"])
        record_email_change(user=user, old_email=old_email, by=by)
    return user


def record_email_change(*, user, old_email, by, keep_session_key=None):
    """What follows every change of a person's sign-in address, whoever made it.

    Writes an entry in the audit log of each jury they belong to (or one without a jury), ends
    every session of theirs except `keep_session_key` (the page they changed it from, if they did
    it themselves) and sends a notice to `old_email` once the change is committed (at once, not
    through the task table, which would keep the old address). Neither address is written in the log.
    """
    by_themselves = by is not None and by.pk == user.pk
    if by_themselves:
        summary = _("%(name)s changed the email address they sign in with.")
    else:
        summary = _(
            "Staff changed the email address %(name)s signs in with; they were signed out "
            "everywhere and their old address was told."
        )
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
            "by_themselves": by_themselves,
            "when": timezone.now(),
            "contacts": sorted({m.jury.help_contact for m in memberships} - {""}),
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
