"""One-time sign-in links for the demo personas. Routed only when DELIBERATE_DEMO is on."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


class DemoSignInTokens(PasswordResetTokenGenerator):
    # The hash covers last_login, so a link stops working once it has been used.
    key_salt = "deliberate.demo-sign-in"


tokens = DemoSignInTokens()


def sign_in_path(user):
    return reverse(
        "demo-sign-in", args=[urlsafe_base64_encode(force_bytes(user.pk)), tokens.make_token(user)]
    )
