from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuriesConfig(AppConfig):
    name = "juries"
    verbose_name = _("Juries and people")

    def ready(self):
        # Connect allauth's sign-in signal, and delete a sent email's task row once it is done.
        from . import emails, signals  # noqa: F401
