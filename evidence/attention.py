"""Jurors' questions still waiting for a witness's answer, and jurors who have not read all the
published evidence, at the top of the facilitators' dashboard. Registered with juries' attention
checks (`juries.attention`) in EvidenceConfig.ready()."""

from datetime import timedelta

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from juries.attention import Item
from juries.models import Stage
from juries.permissions import Action

from .models import EvidenceItem, QuestionState, Reading

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


def unread_evidence(access, now):
    """While the jury learns: how many jurors have not read every published item as it is now.
    A count only, never names (the evidence page shows per pack who may need help). One query."""
    jury = access.jury
    if jury.stage != Stage.LEARNING or not access.may[Action.VIEW_READING_PROGRESS]:
        return None
    read = Reading.objects.filter(
        item=OuterRef("pk"), user=OuterRef(OuterRef("user")), version__gte=F("item__version")
    )
    unread = EvidenceItem.objects.filter(pack__jury=jury, pack__published_at__isnull=False).filter(
        ~Exists(read)
    )
    counts = jury.memberships.jurors().aggregate(
        jurors=Count("pk"), behind=Count("pk", filter=Q(Exists(unread)))
    )
    behind = counts["behind"]
    if not behind:
        return None
    return Item(
        key="reading",
        count=behind,
        text=ngettext(
            "%(behind)s of %(jurors)s jurors has not yet read all the published evidence.",
            "%(behind)s of %(jurors)s jurors have not yet read all the published evidence.",
            behind,
        )
        % {"behind": behind, "jurors": counts["jurors"]},
        url=reverse("evidence:index", args=[jury.slug]),
        link_label=_("See reading progress"),
    )
