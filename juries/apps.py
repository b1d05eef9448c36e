from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuriesConfig(AppConfig):
    name = "juries"
    verbose_name = _("Juries and people")

    def ready(self):
        from django.core.validators import MaxLengthValidator

        from . import signals  # noqa: F401  (connects allauth's sign-in signal)
        from .text_limits import TOO_LONG

        # Django's wording ("Ensure this value has at most…") is not plain English: every length
        # check, in forms and in the model's own validation, says it as text_limits does.
        MaxLengthValidator.message = TOO_LONG
