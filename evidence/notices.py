"""Evidence's news and reminders, for juries/notifications.py: a question put to a witness, a
pack published, and the reminder the day before a question's answer-by date."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from juries import notifications
from juries.models import Membership

from .models import EvidencePack, Question, QuestionState


def question_reminders(now):
    """The day before the answer-by date (from 9 in the morning, the witness's time) until the
    end of that date, for a question still waiting, to the witness who signs in to answer it."""
    today = now.date()
    waiting = Question.objects.filter(
        state=QuestionState.OPEN,
        witness__user__isnull=False,
        answer_by__gte=today - datetime.timedelta(days=1),
        answer_by__lte=today + datetime.timedelta(days=2),
    ).select_related("jury", "witness")
    for question in waiting:
        member = (
            Membership.objects.filter(jury_id=question.jury_id, user_id=question.witness.user_id)
            .reachable()
            .select_related("user", "jury")
            .first()
        )
        if member is None:
            continue
        local_today = notifications.local_day(now, member.user)
        if local_today > question.answer_by:
            continue
        if not notifications.from_morning_before(question.answer_by, now, member.user):
            continue
        yield notifications.Due(
            member,
            "question.due",
            question,
            "evidence/email/question_reminder",
            {"question": question},
        )


def _question_link(question):
    return reverse("evidence:question", args=[question.jury.slug, question.pk])


def register():
    notifications.register_targets(Question.objects.select_related("jury"))
    notifications.register_targets(EvidencePack.objects.select_related("jury"))
    notifications.register_kind(
        "question.put",
        email="evidence/email/question_put",
        sentence=_("A question has been put to you: “%(title)s”"),
        link=_question_link,
    )
    notifications.register_kind(
        "question.due",
        email="evidence/email/question_reminder",
        sentence=_("Reminder: please answer “%(title)s” by its date"),
        link=_question_link,
    )
    notifications.register_kind(
        "pack.published",
        email="evidence/email/pack_published",
        sentence=_("New evidence to read: “%(title)s”"),
        link=EvidencePack.get_absolute_url,
    )
    notifications.register_reminders(question_reminders)
