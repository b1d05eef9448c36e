from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Recommendations and voting")

    def ready(self):
        from deliberate import subjects
        from evidence import reviews
        from juries import navigation, next_step, parts
        from juries.accounts import EXPORTERS
        from juries.emails import GONE
        from juries.models import Stage
        from juries.navigation import Section, may
        from juries.permissions import Action
        from juries.stages import STAGE_CHECKS

        from . import notices
        from .export import decisions_of
        from .next_steps import (
            answer_the_recommendations,
            between_rounds,
            cast_your_vote,
            comment_on_the_drafts,
            rank_the_recommendations,
            see_the_answers,
            sign_off_progress,
            sign_off_the_wording,
            the_vote_is_open,
            you_have_voted,
        )
        from .stage_checks import refuse_stage_change
        from .subjects import THREAD_SUBJECTS
        from .templatetags.answers import answer_totals

        notices.register()
        # A queued "the vote closes soon" reminder is not sent once the vote has closed.
        GONE["voting.vote"] = lambda vote, template: (
            template == "voting/email/vote_closing" and not vote.is_open
        )
        EXPORTERS["decisions"] = decisions_of
        if refuse_stage_change not in STAGE_CHECKS:
            STAGE_CHECKS.append(refuse_stage_change)
        for label, spec in THREAD_SUBJECTS.items():
            subjects.register(label, **spec)
        next_step.register(190, the_vote_is_open)
        next_step.register(192, between_rounds)
        next_step.register(195, sign_off_progress)
        next_step.register(350, cast_your_vote)
        next_step.register(355, rank_the_recommendations)
        next_step.register(360, sign_off_the_wording)
        next_step.register(500, answer_the_recommendations)
        next_step.register(525, comment_on_the_drafts)
        next_step.register(545, you_have_voted)
        next_step.register(540, see_the_answers)
        for section in (
            Section(
                "recommendations",
                _("Recommendations"),
                "voting:recommendations",
                50,
                may(Action.VIEW_RECOMMENDATIONS),
            ),
            Section(
                "responses",
                _("Answer the recommendations"),
                "voting:responses",
                90,
                may(Action.ANSWER_RECOMMENDATIONS),
            ),
            Section(
                "accountability",
                _("Answers"),
                "voting:accountability",
                100,
                lambda jury, access: jury.stage == Stage.RESPONSE,
            ),
        ):
            navigation.register(section)
        parts.register("jury-public", "voting/parts/jury_public.html", order=20)
        parts.register("my-juries", "voting/parts/my_juries.html")
        parts.register("evidence-item-cited", "voting/parts/evidence_item_cited.html")
        parts.register("question-cited", "voting/parts/question_cited.html")
        reviews.register(
            reviews.Outcome(
                collect=answer_totals,
                system_template="voting/parts/system_outcome.html",
                jury_template="voting/parts/jury_outcome.html",
            )
        )
