"""How allauth fits Deliberate: signup only through an invitation; its emails go at once."""

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import emails, invitations
from .sign_in_forms import code_minutes

JOINED_SESSION_KEY = "deliberate_joined_jury"

# How long the code in each of allauth's emails lasts (seconds), for the email to say so.
CODE_LIFETIMES = {
    "account/email/login_code": lambda: account_settings.LOGIN_BY_CODE_TIMEOUT,
    "account/email/email_confirmation": lambda: account_settings.EMAIL_VERIFICATION_BY_CODE_TIMEOUT,
    "account/email/email_confirmation_signup": lambda: (
        account_settings.EMAIL_VERIFICATION_BY_CODE_TIMEOUT
    ),
}

# allauth's "we have sent you an email" notes, left out when the email could not be sent.
SENT_NOTES = {
    "account/messages/login_code_sent.txt",
    "account/messages/email_confirmation_sent.txt",
}


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "incorrect_code": gettext_lazy(
            "That code is not right. Check it against the latest email we sent and type it "
            "again, or ask for a new code."
        ),
    }

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
        """Send at once, never through the task table: these emails carry sign-in codes and
        confirmation keys. allauth lets a mail server's error through (a 500), so a failure is
        logged and the person told to try again instead."""
        request = getattr(self, "request", None)
        ctx = {
            "request": request,
            "email": email,
            "current_site": _Site(request),
            "site_url": settings.SITE_URL,
        }
        if template_prefix in CODE_LIFETIMES:
            ctx["code_minutes"] = code_minutes(CODE_LIFETIMES[template_prefix]())
        ctx.update(context)
        if emails.send_message_now(self.render_mail(template_prefix, email, ctx)):
            return
        if request is not None:
            request.deliberate_email_failed = True
            messages.error(
                request,
                _(
                    "We could not send the email just now. Please wait a few minutes and try "
                    "again. If it keeps happening, contact the facilitators of your jury."
                ),
            )

    def add_message(self, request, level, message_template=None, message_context=None, **kwargs):
        if message_template in SENT_NOTES and getattr(request, "deliberate_email_failed", False):
            return
        super().add_message(request, level, message_template, message_context, **kwargs)

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
