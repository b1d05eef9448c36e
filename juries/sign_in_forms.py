"""allauth's forms for the codes we email, in Deliberate's words (ACCOUNT_FORMS in settings).

Each form says how many minutes its code lasts (`minutes`), for the page that asks for it. A
separate module from juries.forms: allauth imports that one (for the signup form) while its own
forms module is still loading.
"""

from allauth.account import app_settings as account_settings
from allauth.account.forms import (
    ConfirmEmailVerificationCodeForm,
    ConfirmLoginCodeForm,
    ConfirmReauthenticationCodeForm,
)
from django.utils.translation import gettext_lazy as _


def code_minutes(seconds):
    """How long a code lasts, in whole minutes (at least one), as people are told it."""
    return max(1, seconds // 60)


class _OurCodeField:
    label = _("Code")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label = self.label
        field.help_text = _(
            "It is in the email we have just sent you. Capital or small letters both work, "
            "with or without the dash."
        )
        field.error_messages["required"] = _("Enter the code from the email.")
        field.widget.attrs = {
            "autocomplete": "one-time-code",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "class": "input--code",
        }


class SignInCodeForm(_OurCodeField, ConfirmLoginCodeForm):
    label = _("Sign-in code")

    @property
    def minutes(self):
        return code_minutes(account_settings.LOGIN_BY_CODE_TIMEOUT)


class ConfirmAgainCodeForm(_OurCodeField, ConfirmReauthenticationCodeForm):
    label = _("Sign-in code")

    @property
    def minutes(self):
        return code_minutes(account_settings.LOGIN_BY_CODE_TIMEOUT)


class EmailAddressCodeForm(_OurCodeField, ConfirmEmailVerificationCodeForm):
    label = _("Confirmation code")

    @property
    def minutes(self):
        return code_minutes(account_settings.EMAIL_VERIFICATION_BY_CODE_TIMEOUT)
