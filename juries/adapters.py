"""How allauth fits Deliberate: signup only through an invitation, email through the worker."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _

from . import emails, invitations

JOINED_SESSION_KEY = "deliberate_joined_jury"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return invitations.pending_from_session(request) is not None

    def clean_email(self, email):
        email = super().clean_email(email)
        request = getattr(self, "request", None)
        if request is not None and not request.user.is_authenticated:
            invitation = invitations.pending_from_session(request)
            if invitation is not None and email.strip().lower() != invitation.email:
                raise forms.ValidationError(
                    _(
                        "Your invitation was sent to %(email)s. Use that address, or ask the "
                        "facilitator to invite the address you would rather use."
                    )
                    % {"email": invitation.email}
                )
        return email

    def send_mail(self, template_prefix, email, context):
        """Render in the request (allauth's templates need it), send from the worker."""
        request = getattr(self, "request", None)
        ctx = {"request": request, "email": email, "current_site": _Site(request)}
        ctx.update(context)
        emails.queue_message(self.render_mail(template_prefix, email, ctx))

    def get_login_redirect_url(self, request):
        slug = request.session.pop(JOINED_SESSION_KEY, None)
        if slug:
            return reverse("juries:home", args=[slug])
        invitation = invitations.pending_from_session(request)
        if invitation is not None:
            return invitation.get_absolute_url()
        return resolve_url("juries:my-juries")

    def get_signup_redirect_url(self, request):
        return self.get_login_redirect_url(request)


class _Site:
    """allauth's emails name the site; we have one site and no django.contrib.sites."""

    def __init__(self, request):
        self.name = "Deliberate"
        self.domain = request.get_host() if request is not None else "localhost"

    def __str__(self):
        return self.name
