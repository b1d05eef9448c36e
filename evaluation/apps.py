from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        from juries import navigation, next_step, parts
        from juries.navigation import Section

        from .next_steps import fill_in_the_questionnaire
        from .views import shows_evaluation

        next_step.register(515, fill_in_the_questionnaire)
        navigation.register(
            Section("evaluation", _("Evaluation"), "evaluation:home", 95, shows_evaluation)
        )
        parts.register("jury-public", "evaluation/parts/jury_public.html", order=30)
