"""Jurors' questions still waiting for a witness's answer, at the top of the facilitators'
dashboard. Registered with juries' attention checks (`juries.attention`) in EvidenceConfig.ready()."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from juries.attention import Item
from juries.permissions import Action

from .models import QuestionState

# A witness is asked to answer within this many days; a question waiting longer is past its date.
ANSWER_WITHIN_DAYS = 7


def waiting_questions(access, now):
    """Every question waiting for an answer, and how many of them are past their date."""
    if not access.may[Action.MANAGE_QUESTIONS]:
        return None
    due = now - timedelta(days=ANSWER_WITHIN_DAYS)
    counts = access.jury.questions.filter(state=QuestionState.OPEN).aggregate(
        waiting=Count("pk"), late=Count("pk", filter=Q(created_at__lt=due))
    )
    waiting, late = counts["waiting"], counts["late"]
    if not waiting:
        return None
    text = ngettext(
        "%(count)s question from jurors is waiting for a witness's answer.",
        "%(count)s questions from jurors are waiting for a witness's answer.",
        waiting,
    ) % {"count": waiting}
    if late:
        text += " " + ngettext(
            "%(count)s has waited more than %(days)s days: past its date.",
            "%(count)s have waited more than %(days)s days: past their date.",
            late,
        ) % {"count": late, "days": ANSWER_WITHIN_DAYS}
    return Item(
        key="questions",
        count=waiting,
        text=text,
        url=reverse("evidence:questions", args=[access.jury.slug]),
        link_label=_("See the waiting questions"),
    )
