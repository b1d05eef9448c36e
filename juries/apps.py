from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuriesConfig(AppConfig):
    name = "juries"
    verbose_name = _("Juries and people")

    def ready(self):
        # Registers the system checks, connects allauth's sign-in and email signals, and
        # deletes a sent email's task row once it is done.
        from . import checks, emails, signals  # noqa: F401
