from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuriesConfig(AppConfig):
    name = "juries"
    verbose_name = _("Juries and people")

    def ready(self):
        # Registers the system checks and connects allauth's sign-in and email signals.
        from . import checks, signals  # noqa: F401
