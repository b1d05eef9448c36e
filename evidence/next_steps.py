"""The steps on a member's jury home that lead to the evidence and to the questions a witness
answers, registered with juries' next steps (`juries.next_step`) in EvidenceConfig.ready()."""

from datetime import timedelta

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from juries.models import Role, Stage
from juries.next_step import NextStep
from juries.permissions import Action

from .attention import ANSWER_WITHIN_DAYS
from .models import EvidenceItem, QuestionState, Reading


def read_the_evidence(user, access, next_sitting, now):
    """For a juror while learning: how many published items are new to them or changed since
    they read them, and about how long those take to read. One query. Once everything is read,
    nothing here: the next sitting or the next stage says what comes next."""
    jury = access.jury
    if access.role != Role.JUROR or jury.stage != Stage.LEARNING:
        return None
    read = Reading.objects.filter(item=OuterRef("pk"), user=user, version__gte=F("item__version"))
    unread = Q(~Exists(read))
    counts = EvidenceItem.objects.filter(
        pack__jury=jury, pack__published_at__isnull=False
    ).aggregate(
        total=Count("pk"),
        unread=Count("pk", filter=unread),
        minutes=Sum("reading_minutes", filter=unread),
    )
    text = _("Read at your own pace. Ask the witnesses about anything that is not clear.")
    if counts["total"]:
        if not counts["unread"]:
            return None
        left = (
            ngettext(
                "%(unread)s of %(total)s item is new to you or changed since you read it.",
                "%(unread)s of %(total)s items are new to you or changed since you read them.",
                counts["total"],
            )
            % counts
        )
        parts = [left]
        if counts["minutes"]:
            parts.append(
                ngettext(
                    "That is about %(minutes)s minute of reading.",
                    "That is about %(minutes)s minutes of reading.",
                    counts["minutes"],
                )
                % counts
            )
        text = " ".join([*parts, text])
    return NextStep(
        title=_("Read the evidence"),
        text=text,
        url=reverse("evidence:index", args=[jury.slug]),
        link_label=_("Go to the evidence"),
    )


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
