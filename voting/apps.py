from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Recommendations and voting")

    def ready(self):
        from deliberate import subjects
        from juries import next_step
        from juries.accounts import EXPORTERS
        from juries.stages import STAGE_CHECKS

        from .export import decisions_of
        from .next_steps import answer_the_recommendations, see_the_answers
        from .stage_checks import refuse_stage_change
        from .subjects import THREAD_SUBJECTS

        EXPORTERS["decisions"] = decisions_of
        STAGE_CHECKS.append(refuse_stage_change)
        next_step.register(500, answer_the_recommendations)
        next_step.register(540, see_the_answers)
        for label, spec in THREAD_SUBJECTS.items():
            subjects.register(label, **spec)
