import zoneinfo
from dataclasses import asdict

from allauth.mfa.utils import is_mfa_enabled
from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Membership, Role


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, except that a page not found keeps the policy with DEBUG on.

    django-csp leaves 404 and 500 responses without a policy in debug, for Django's technical
    pages and their inline styles. A page not found is one the public meets (the demo runs with
    DEBUG on), so it carries the policy like every other page; Django's technical 404 is then
    shown unstyled, and still reads. The technical 500 page, for developers only, stays exempt."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if (
            settings.DEBUG
            and response.status_code == 404
            and HEADER not in response
            and not getattr(response, "_csp_exempt", False)
        ):
            policy = build_policy(**asdict(self.get_policy_parts(request, response)))
            if policy:
                response[HEADER] = policy
        return response


class TimezoneMiddleware:
    """Show times in the person's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.timezone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/account/", "/i18n/")


# Roles whose holders act for others: facilitators run a jury, oversight members answer it in
# a public body's name. Taking over one of their accounts does harm well beyond the account.
MFA_ROLES = (Role.FACILITATOR, Role.OVERSIGHT)


def needs_mfa(user):
    """Whether `user` must set up a second factor before using the product: staff, and
    facilitators and oversight members of any jury, who have none yet."""
    if not settings.REQUIRE_MFA_FOR_FACILITATORS or not user.is_authenticated:
        return False
    privileged = user.is_staff or Membership.objects.filter(user=user, role__in=MFA_ROLES).exists()
    return privileged and not is_mfa_enabled(user)


class RequireMFAMiddleware:
    """Staff, facilitators and oversight members set up a second factor before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(MFA_EXEMPT_PREFIXES) and needs_mfa(request.user):
            messages.info(
                request,
                _(
                    "Facilitators, oversight members and staff must protect their account with "
                    "two-factor authentication. Set up an authenticator app or a passkey to "
                    "continue."
                ),
            )
            return redirect("mfa_index")
        return self.get_response(request)
