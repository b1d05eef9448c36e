from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberateConfig(AppConfig):
    name = "deliberate"
    verbose_name = _("Deliberation")

    def ready(self):
        from juries.accounts import EXPORTERS

        from . import signins
        from .export import posts_of

        EXPORTERS["posts"] = posts_of
        signins.connect()
