from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuriesConfig(AppConfig):
    name = "juries"
    verbose_name = _("Juries and people")

    def ready(self):
        from . import signals  # noqa: F401  (connects allauth's sign-in and email signals)
