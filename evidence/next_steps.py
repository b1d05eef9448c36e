"""The steps on a member's jury home that lead to the evidence and to the questions a witness
answers, registered with juries' next steps (`juries.next_step`) in EvidenceConfig.ready()."""

from datetime import timedelta

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from juries.models import Role, Stage
from juries.next_step import NextStep
from juries.permissions import Action

from .attention import ANSWER_WITHIN_DAYS
from .models import QuestionState


def read_the_evidence(user, access, next_sitting, now):
    jury = access.jury
    if access.role == Role.JUROR and jury.stage == Stage.LEARNING:
        return NextStep(
            title=_("Read the evidence"),
            text=_("Read at your own pace. Ask the witnesses about anything that is not clear."),
            url=reverse("evidence:index", args=[jury.slug]),
            link_label=_("Go to the evidence"),
        )
    return None


def answer_the_questions(user, access, next_sitting, now):
    """For a witness: the questions waiting for them (put to them, or to whoever can answer),
    and the date to answer the oldest by (ANSWER_WITHIN_DAYS after it was asked). One query."""
    if not access.may[Action.ANSWER_QUESTIONS]:
        return None
    waiting = access.jury.questions.filter(
        Q(witness__isnull=True) | Q(witness__user=user), state=QuestionState.OPEN
    ).aggregate(count=Count("pk"), oldest=Min("created_at"))
    if not waiting["count"]:
        return None
    answer_by = timezone.localtime(waiting["oldest"]).date() + timedelta(days=ANSWER_WITHIN_DAYS)
    text = ngettext(
        "%(count)s question is waiting for your answer. Please answer by %(date)s.",
        "%(count)s questions are waiting for your answer. Please answer the first by %(date)s.",
        waiting["count"],
    ) % {"count": waiting["count"], "date": date_format(answer_by, "j F Y")}
    return NextStep(
        title=_("Answer the questions put to you"),
        text=text,
        url=reverse("evidence:questions", args=[access.jury.slug]),
        link_label=_("Go to the questions"),
    )
