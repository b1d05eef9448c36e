from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Recommendations and voting")

    def ready(self):
        from juries.accounts import EXPORTERS
        from juries.stages import STAGE_CHECKS

        from .export import decisions_of
        from .stage_checks import refuse_stage_change

        EXPORTERS["decisions"] = decisions_of
        STAGE_CHECKS.append(refuse_stage_change)
