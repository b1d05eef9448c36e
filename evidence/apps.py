from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = _("Evidence")

    def ready(self):
        from juries import next_step

        from .next_steps import read_the_evidence

        next_step.register(510, read_the_evidence)
