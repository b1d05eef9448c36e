from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = _("Evidence")

    def ready(self):
        from juries import attention, navigation, next_step, parts
        from juries.emails import GONE
        from juries.navigation import Section

        from . import notices
        from .attention import unread_evidence, waiting_questions
        from .models import QuestionState
        from .next_steps import answer_the_questions, read_the_evidence

        notices.register()
        # A queued reminder about a question answered (or merged) meanwhile is not sent.
        GONE["evidence.question"] = lambda question, template: (
            template == "evidence/email/question_reminder" and question.state != QuestionState.OPEN
        )
        next_step.register(505, answer_the_questions)
        next_step.register(510, read_the_evidence)
        attention.register(20, waiting_questions)
        attention.register(25, unread_evidence)
        navigation.register(Section("evidence", _("Evidence"), "evidence:index", 20))
        navigation.register(Section("questions", _("Questions"), "evidence:questions", 30))
        parts.register("jury-public", "evidence/parts/jury_public.html", order=10)
