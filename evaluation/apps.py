from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        from juries import attention, navigation, next_step, parts
        from juries.accounts import EXPORTERS
        from juries.navigation import Section

        from . import notices
        from .export import questionnaires_of
        from .next_steps import (
            fill_in_the_questionnaire,
            organisers_questionnaire,
            read_the_evaluation,
        )
        from .views import shows_evaluation

        notices.register()
        EXPORTERS["questionnaires"] = questionnaires_of
        next_step.register(370, fill_in_the_questionnaire)
        next_step.register(610, read_the_evaluation)
        attention.register(60, organisers_questionnaire)
        navigation.register(
            Section("evaluation", _("Evaluation"), "evaluation:home", 95, shows_evaluation)
        )
        parts.register("jury-public", "evaluation/parts/jury_public.html", order=30)
