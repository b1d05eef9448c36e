"""Jurors' questions to witnesses, and their requests for more evidence.

Jurors ask and support; facilitators assign and merge; witnesses answer, and the asker and every
supporter is told by email. A question never disappears: merged ones point to the one they joined.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from juries import audit, emails, notifications
from juries.permissions import Action, answers_as_witness, is_asker
from juries.refusals import Refused

from .models import AnswerWording, Question, QuestionState, RequestState, Support

ANSWER_WITHIN = datetime.timedelta(days=7)


class QuestionError(Refused):
    pass


def may_answer(access, question):
    """Answering (Action.ANSWER_QUESTIONS) a question that was not merged into another, put to
    this witness or to whoever can answer (`answers_as_witness`)."""
    if not access.may[Action.ANSWER_QUESTIONS] or question.state == QuestionState.MERGED:
        return False
    return answers_as_witness(access, question)


def may_support(access, question):
    """Supporting (Action.ASK_QUESTIONS) a question still waiting for an answer that someone
    else asked: the asker's support is counted already."""
    return (
        access.may[Action.ASK_QUESTIONS]
        and question.state == QuestionState.OPEN
        and not is_asker(access, question)
    )


def ask(*, jury, user, form):
    question = form.save(commit=False)
    question.jury, question.asked_by = jury, user
    question.save()
    return question


def support(*, question, user):
    """Add `user`'s support; supporting twice counts once."""
    if question.asked_by_id == user.pk:
        raise QuestionError(_("You asked this question, so your support is already counted."))
    if question.state != QuestionState.OPEN:
        raise QuestionError(_("This question is no longer waiting for an answer."))
    try:
        with transaction.atomic():
            Support.objects.create(question=question, user=user)
    except IntegrityError:
        pass


def withdraw_support(*, question, user):
    Support.objects.filter(question=question, user=user).delete()


def assign(*, question, witness, by, answer_by=None):
    """Put the question to `witness` (None: whoever can answer), to answer by `answer_by` (by
    default a week from today). A witness who signs in is told: a notification that needs them,
    and a reminder the day before the date (see juries/notifications.py)."""
    with transaction.atomic():
        before = (question.witness_id, question.answer_by)
        question.witness = witness
        if witness is not None:
            question.answer_by = answer_by or timezone.localdate() + ANSWER_WITHIN
        question.save(update_fields=["witness", "answer_by"])
        if before != (question.witness_id, question.answer_by):
            # Put again, or to someone else, or with a new date: its reminder follows.
            notifications.forget_reminders(question)
        if witness is not None and witness.user_id is not None:
            notifications.notify(
                jury=question.jury,
                recipients=question.jury.memberships.filter(user_id=witness.user_id)
                .reachable()
                .select_related("user"),
                kind="question.put",
                target=question,
                needs_action=True,
                context={"question": question},
            )
        audit.record(
            actor=by,
            action="question.assign",
            jury=question.jury,
            target=question,
            summary=_("Put question %(number)s to %(witness)s.")
            % {
                "number": question.pk,
                "witness": witness.name if witness else _("whoever can answer"),
            },
        )


def merge(*, question, into, by):
    """Fold a duplicate into another question. Its asker and supporters support the other one."""
    if question.state == QuestionState.MERGED:
        raise QuestionError(_("This question was already merged."))
    if question.pk == into.pk or into.jury_id != question.jury_id:
        raise QuestionError(_("Choose a different question of this jury to merge with."))
    if into.state == QuestionState.MERGED:
        raise QuestionError(_("That question was itself merged; choose the one it joined."))
    with transaction.atomic():
        people = {question.asked_by_id, *question.supports.values_list("user_id", flat=True)}
        people.discard(into.asked_by_id)
        people.discard(None)
        existing = set(into.supports.values_list("user_id", flat=True))
        Support.objects.bulk_create(
            [Support(question=into, user_id=pk) for pk in people - existing]
        )
        question.state, question.merged_into = QuestionState.MERGED, into
        question.save(update_fields=["state", "merged_into"])
        audit.record(
            actor=by,
            action="question.merge",
            jury=question.jury,
            target=question,
            summary=_("Merged question %(number)s into question %(into)s.")
            % {"number": question.pk, "into": into.pk},
        )


def answer(*, question, text, by, request=None):
    """Record a witness's written answer and tell the asker and every supporter."""
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.state == QuestionState.MERGED:
            raise QuestionError(_("This question was merged with another; answer that one."))
        locked.answer, locked.answered_by = text, by
        locked.answered_at, locked.state = timezone.now(), QuestionState.ANSWERED
        locked.save(update_fields=["answer", "answered_by", "answered_at", "state"])
        # Every wording is kept: a changed answer adds a version, never overwrites the record.
        AnswerWording.objects.create(
            question=locked,
            version=locked.wordings.count() + 1,
            text=text,
            by=by,
            at=locked.answered_at,
        )
        audit.record(
            actor=by,
            action="question.answer",
            jury=locked.jury,
            target=locked,
            summary=_("Answered question %(number)s.") % {"number": locked.pk},
        )
        _tell_about_answer(locked)
    return locked


def _tell_about_answer(question):
    path = reverse("evidence:question", args=[question.jury.slug, question.pk])
    people = {question.asked_by, *[s.user for s in question.supports.select_related("user")]}
    for person in people:
        if person is None or not person.is_active:
            continue
        emails.queue(
            "evidence/email/answer",
            to=person,
            context={
                "question": question,
                "jury": question.jury,
                "link": settings.SITE_URL + path,
                "person": person,
            },
        )


def respond(*, evidence_request, state, response, by):
    if state not in (RequestState.AGREED, RequestState.DECLINED):
        raise QuestionError(_("Choose whether the request is agreed or not possible."))
    with transaction.atomic():
        evidence_request.state, evidence_request.response = state, response
        evidence_request.responded_by = by
        evidence_request.save(update_fields=["state", "response", "responded_by"])
        audit.record(
            actor=by,
            action="request.respond",
            jury=evidence_request.jury,
            target=evidence_request,
            summary=_("Responded to evidence request %(number)s: %(state)s.")
            % {"number": evidence_request.pk, "state": evidence_request.get_state_display()},
        )
