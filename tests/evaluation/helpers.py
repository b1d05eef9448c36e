"""Jurors answering the evaluation's questionnaires, for the evaluation suites."""

from evaluation import services
from evaluation.models import Kind, Questionnaire, State
from evaluation.questions import SCALE_VALUES
from juries.models import Membership, Role
from tests.conftest import make_user


def add_jurors(jury, count, start=0):
    jurors = []
    for number in range(start, start + count):
        user = make_user(f"juror{number}@example.org", f"Juror {number}")
        Membership.objects.create(jury=jury, user=user, role=Role.JUROR)
        jurors.append(user)
    return jurors


def open_questionnaire(jury, kind=Kind.START):
    questionnaire, _created = Questionnaire.objects.get_or_create(jury=jury, kind=kind)
    questionnaire.state = State.OPEN
    questionnaire.save()
    return questionnaire


def close(*questionnaires):
    for questionnaire in questionnaires:
        questionnaire.state = State.CLOSED
        questionnaire.save()


def answers_for(questionnaire, value, topics=()):
    answers = {question.key: value for question in questionnaire.fixed_questions()}
    if questionnaire.asks_topics:
        answers.update({topic.key: value for topic in topics})
    return answers


def answer_all(questionnaire, users, values=None, topics=()):
    """Each user answers every question with their value (by default: the scale's values in turn)."""
    values = values or [SCALE_VALUES[i % 5] for i in range(len(users))]
    for user, value in zip(users, values, strict=True):
        services.answer(questionnaire, user, answers_for(questionnaire, value, topics))


def form_data(questionnaire, value, topics=()):
    return answers_for(questionnaire, value, topics)
