from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from . import invitations
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
