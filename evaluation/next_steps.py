"""The evaluation's step on a member's jury home (registered in apps.py): a juror with an open
questionnaire they have not answered is asked to fill it in; an evaluator is pointed to the
results; a facilitator who has not answered the open organisers' questionnaire finds it on the
dashboard's "Needs your attention". A few queries whatever the jury's size."""

from django.urls import reverse
from django.utils.translation import gettext as _

from juries.attention import Item
from juries.models import Role
from juries.next_step import NextStep
from juries.permissions import Action

from .models import Kind, Questionnaire, State
from .services import ensure_sitting_questionnaires


def fill_in_the_questionnaire(user, access, next_sitting, now):
    jury = access.jury
    if not access.may[Action.ANSWER_QUESTIONNAIRE]:
        return None
    ensure_sitting_questionnaires(jury, now)
    waiting = (
        Questionnaire.objects.filter(
            jury=jury, state=State.OPEN, kind__in=[Kind.START, Kind.SITTING, Kind.END]
        )
        .exclude(answered__user=user)
        .select_related("sitting", "jury")
        .first()
    )
    if waiting is None:
        return None
    return NextStep(
        title=_("Fill in the questionnaire"),
        text=_(
            "“%(title)s” asks how the jury is going for you. It takes about five minutes, and "
            "your answers are kept without your name."
        )
        % {"title": waiting.title},
        url=waiting.get_absolute_url(),
        link_label=_("Fill in the questionnaire"),
    )


def read_the_evaluation(user, access, next_sitting, now):
    if access.role != Role.EVALUATOR:
        return None
    return NextStep(
        title=_("Read the evaluation"),
        text=_(
            "See how members rated the process, once at least five have answered, and download "
            "the anonymous answers."
        ),
        url=reverse("evaluation:results", args=[access.jury.slug]),
        link_label=_("See the evaluation results"),
    )


def organisers_questionnaire(access, now):
    """On the dashboard's "Needs your attention": the organisers' questionnaire is open and this
    facilitator has not answered it. One query."""
    if not access.may[Action.ANSWER_ORGANISER_QUESTIONNAIRE]:
        return None
    waiting = (
        Questionnaire.objects.filter(jury=access.jury, kind=Kind.ORGANISER, state=State.OPEN)
        .exclude(answered__user_id=access.person_id)
        .select_related("jury")
        .first()
    )
    if waiting is None:
        return None
    return Item(
        key="organisers-questionnaire",
        count=1,
        text=_("The organisers' questionnaire is open and you have not answered it yet."),
        url=waiting.get_absolute_url(),
        link_label=_("Answer the organisers' questionnaire"),
    )
