from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuriesConfig(AppConfig):
    name = "juries"
    verbose_name = _("Juries and people")

    def ready(self):
        from django.core.validators import MaxLengthValidator

        # Registers the system checks, connects allauth's sign-in and email signals, and
        # deletes a sent email's task row once it is done.
        from . import checks, emails, signals  # noqa: F401
        from .text_limits import TOO_LONG

        # Django's wording ("Ensure this value has at most…") is not plain English: every length
        # check, in forms and in the model's own validation, says it as text_limits does.
        MaxLengthValidator.message = TOO_LONG
