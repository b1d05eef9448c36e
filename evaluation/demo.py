"""The evaluation in the demo (called by `manage.py seed_demo`): the running jury's start
questionnaire is open with some jurors' answers in (the first juror persona has not answered, so
they see "Fill in the questionnaire"); a finished jury has its start and end answers, so its
results and public summary show charts. Runs once per jury: a jury that has questionnaires is
left alone."""

from django.db import transaction

from juries.models import Role, Stage

from . import services
from .models import Kind, Questionnaire, State, TopicStatement

STATEMENTS = [
    "Automated fraud scores should be used to decide whose claim is checked.",
    "A payment should never be stopped on a computer's score alone.",
]
# Each juror's answer, in turn: the start leans one way, the end another.
START_ANSWERS = ["agree", "strongly_agree", "neither", "agree", "disagree", "agree"]
END_ANSWERS = ["disagree", "neither", "disagree", "strongly_disagree", "agree", "disagree"]
FIXED_ANSWERS = ["agree", "strongly_agree", "agree", "neither", "agree", "prefer_not_to_say"]


def _answers(questionnaire, topics, number, topic_values):
    answers = {
        question.key: FIXED_ANSWERS[number % len(FIXED_ANSWERS)]
        for question in questionnaire.fixed_questions()
    }
    for index, topic in enumerate(topics):
        answers[topic.key] = topic_values[(number + index) % len(topic_values)]
    return answers


def _answer(questionnaire, jurors, topics, topic_values):
    for number, juror in enumerate(jurors):
        services.answer(questionnaire, juror, _answers(questionnaire, topics, number, topic_values))


def seed_evaluation(jury):
    """Questionnaires and anonymous answers for `jury`; nothing if it has some already."""
    if jury is None or Questionnaire.objects.filter(jury=jury).exists():
        return
    jurors = [
        m.user
        for m in jury.memberships.filter(role=Role.JUROR).select_related("user").order_by("pk")
    ]
    with transaction.atomic():
        topics = [
            TopicStatement.objects.create(jury=jury, text=text, position=position)
            for position, text in enumerate(STATEMENTS)
        ]
        start = Questionnaire.objects.create(jury=jury, kind=Kind.START, state=State.OPEN)
        end = Questionnaire.objects.create(jury=jury, kind=Kind.END)
        Questionnaire.objects.create(jury=jury, kind=Kind.ORGANISER)
        if jury.stage == Stage.RESPONSE:
            _answer(start, jurors, topics, START_ANSWERS)
            end.state = State.OPEN
            end.save()
            _answer(end, jurors, topics, END_ANSWERS)
            Questionnaire.objects.filter(jury=jury, kind__in=[Kind.START, Kind.END]).update(
                state=State.CLOSED
            )
        else:
            _answer(start, jurors[1:], topics, START_ANSWERS)
