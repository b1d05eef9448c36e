from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Recommendations and voting")

    def ready(self):
        from juries.accounts import EXPORTERS

        from .export import decisions_of

        EXPORTERS["decisions"] = decisions_of
