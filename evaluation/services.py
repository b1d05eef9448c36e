"""Changing the evaluation: answering a questionnaire, and the facilitators' settings.

Each function needs the `JuryAccess` of the person acting (the view has checked the action), and
writes in one transaction. Answers are written as the models' docstring explains: the anonymous
`Response` and the `Answered` record together, the responses rewritten in an order of their
content. No audit entry, event or email carries an answer or says who answered when.
"""

import json
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from juries import audit

from . import notices
from .models import (
    MINIMUM_ANSWERS,
    Answered,
    EvaluationSettings,
    Kind,
    Questionnaire,
    Response,
    State,
)


class AlreadyAnswered(Exception):
    """The person has answered this questionnaire already: answers are taken once."""


class NotOpen(Exception):
    """The questionnaire is not open for answers."""


class Settled(Exception):
    """The questionnaire closed with its results shown: opening it again would let someone work out
    a late answer by comparing the results before and after it."""


def has_answered(questionnaire, user):
    return Answered.objects.filter(questionnaire=questionnaire, user=user).exists()


def _content_order(answers):
    return json.dumps(answers, sort_keys=True, ensure_ascii=False)


def answer(questionnaire, user, answers):
    """Record `user`'s `answers` (question key -> value, already validated) to `questionnaire`.

    Raises NotOpen when it is not open and AlreadyAnswered when they have answered before (a
    double submission writes nothing the second time).
    """
    with transaction.atomic():
        locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if locked.state != State.OPEN:
            raise NotOpen
        try:
            with transaction.atomic():
                Answered.objects.create(questionnaire=locked, user=user)
        except IntegrityError as error:
            raise AlreadyAnswered from error
        # Written again in an order of their content, with new keys: nothing in the table
        # (its keys, its rows' order or positions) follows the order people answered in.
        everyone = [*locked.responses.values_list("answers", flat=True), dict(answers)]
        locked.responses.all().delete()
        Response.objects.bulk_create(
            Response(id=uuid.uuid4(), questionnaire=locked, answers=each)
            for each in sorted(everyone, key=_content_order)
        )


def is_settled(questionnaire):
    return questionnaire.state == State.CLOSED and questionnaire.answered.count() >= MINIMUM_ANSWERS


def settings_for(jury):
    found = EvaluationSettings.objects.filter(jury=jury).first()
    return found or EvaluationSettings(jury=jury)


def questionnaire_of(jury, kind):
    questionnaire, _created = Questionnaire.objects.get_or_create(jury=jury, kind=kind)
    return questionnaire


def ensure_sitting_questionnaires(jury, now=None):
    """When the jury asks after each sitting, an open questionnaire for each sitting that has
    ended since the facilitators asked for it and has none yet (sittings that ended before are
    not asked about: turning the setting on does not open one for each past sitting). Two
    queries when there is nothing to add."""
    now = now or timezone.now()
    found = (
        EvaluationSettings.objects.filter(jury=jury, after_sittings=True)
        .values_list("after_sittings_since", flat=True)
        .first()
    )
    if found is None:
        return
    missing = jury.sittings.filter(ends_at__gt=found, ends_at__lte=now, questionnaires__isnull=True)
    Questionnaire.objects.bulk_create(
        [
            Questionnaire(jury=jury, kind=Kind.SITTING, sitting=sitting, state=State.OPEN)
            for sitting in missing
        ],
        ignore_conflicts=True,
    )


def save_settings(access, *, after_sittings, statements, now=None):
    """Store the facilitators' choices: whether to ask after each sitting (from the moment it is
    turned on: sittings that ended before are not asked about), and the topic statements (one
    per entry, in order). Statements only change while nobody has answered the start
    questionnaire: after that, before and after must ask the same."""
    jury = access.jury
    with transaction.atomic():
        settings, _created = EvaluationSettings.objects.select_for_update().get_or_create(jury=jury)
        if after_sittings and not (settings.after_sittings and settings.after_sittings_since):
            settings.after_sittings_since = now or timezone.now()
        elif not after_sittings:
            settings.after_sittings_since = None
        settings.after_sittings = after_sittings
        settings.save()
        if statements is not None and topics_may_change(jury):
            jury.topic_statements.all().delete()
            for position, text in enumerate(statements):
                jury.topic_statements.create(text=text, position=position)
        audit.record(
            actor=access.membership.user,
            action="evaluation.settings",
            summary=_("Changed the evaluation's settings and topic statements"),
            jury=jury,
            data={"after_sittings": after_sittings, "statements": len(statements or [])},
        )
    ensure_sitting_questionnaires(jury)


def topics_may_change(jury):
    return not Answered.objects.filter(
        questionnaire__jury=jury, questionnaire__kind__in=[Kind.START, Kind.END]
    ).exists()


def set_state(access, questionnaire, state):
    """Open or close a questionnaire. Raises Settled when asked to open one that closed with
    enough answers for its results to be shown."""
    with transaction.atomic():
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if state == State.OPEN and is_settled(questionnaire):
            raise Settled
        opening = state == State.OPEN and questionnaire.state != State.OPEN
        questionnaire.state = state
        questionnaire.save(update_fields=["state"])
        audit.record(
            actor=access.membership.user,
            action="evaluation.opened" if state == State.OPEN else "evaluation.closed",
            summary=(
                _("Opened the questionnaire “%(title)s”")
                if state == State.OPEN
                else _("Closed the questionnaire “%(title)s”")
            )
            % {"title": questionnaire.title},
            jury=access.jury,
            target=questionnaire,
        )
        if opening and questionnaire.kind != Kind.SITTING:
            notices.tell_opened(questionnaire)
