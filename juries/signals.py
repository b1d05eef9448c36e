from allauth.account.signals import email_changed, user_logged_in
from django.dispatch import receiver

from . import addresses, invitations
from .adapters import JOINED_SESSION_KEY


@receiver(user_logged_in)
def accept_invitation_on_sign_in(sender, request, user, **kwargs):
    """Someone who opened an invitation and then signed in (or signed up) joins at once,
    provided they signed in with the address it was sent to. Otherwise the invitation page
    explains the mismatch (see AccountAdapter.get_login_redirect_url)."""
    invitation = invitations.pending_from_session(request)
    if invitation is None or user.email.lower() != invitation.email:
        return
    try:
        invitations.accept(invitation=invitation, user=user)
    except invitations.InvitationError:
        return
    request.session.pop(invitations.SESSION_KEY, None)
    request.session[JOINED_SESSION_KEY] = invitation.jury.slug


@receiver(email_changed)
def record_own_email_change(sender, request, user, from_email_address, to_email_address, **kw):
    """A person changed their sign-in address on allauth's email page: the same record, sign-out
    elsewhere and notice to the old address as after a change staff asked for and they confirmed.
    Confirming the only address there is (after sign-up, or signing in for the first time with
    the address they confirmed from a link) is no change.
    """
    if (
        from_email_address is None
        or from_email_address.email.lower() == to_email_address.email.lower()
    ):
        return
    addresses.record_email_change(
        user=user,
        old_email=from_email_address.email,
        by=user,
        keep_session_key=getattr(getattr(request, "session", None), "session_key", None),
    )


def _connect_sitting_guard():
    from django.db.models.signals import pre_delete

    from .models import Sitting
    from .sittings import refuse_deleting_held

    pre_delete.connect(refuse_deleting_held, sender=Sitting, dispatch_uid="sitting-held-guard")


# A sitting that took place is never deleted, whatever the route (see juries.sittings).
_connect_sitting_guard()
