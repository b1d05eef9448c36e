"""The steps on a member's jury home that lead to the answers to the recommendations, registered
with juries' next steps (`juries.next_step`) in VotingConfig.ready()."""

from django.urls import reverse
from django.utils.translation import gettext as _

from juries.models import Role, Stage
from juries.next_step import NextStep
from juries.permissions import Action


def answer_the_recommendations(user, access, next_sitting, now):
    """For an oversight member, whatever the stage their role allows it in."""
    if access.may[Action.ANSWER_RECOMMENDATIONS]:
        return NextStep(
            title=_("Answer the jury's recommendations"),
            text=_(
                "For each recommendation the jury adopted, say whether you accept it, why, and "
                "what will be done. Answers are published on the jury's public page."
            ),
            url=reverse("voting:responses", args=[access.jury.slug]),
            link_label=_("Answer the recommendations"),
        )
    return None


def see_the_answers(user, access, next_sitting, now):
    jury = access.jury
    if access.role == Role.JUROR and jury.stage == Stage.RESPONSE:
        return NextStep(
            title=_("See the answers"),
            text=_(
                "The oversight body answers each of your recommendations in public. You can "
                "discuss each answer with the other jurors."
            ),
            url=reverse("voting:accountability", args=[jury.slug]),
            link_label=_("See the answers to your recommendations"),
        )
    return None
