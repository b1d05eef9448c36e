"""The demo's evaluation: a running jury with its start questionnaire open and one juror still to
answer; a finished jury whose results show as charts."""

import pytest

from evaluation.demo import seed_evaluation
from evaluation.models import Answered, Kind, State
from evaluation.results import change_chart, results_for
from juries.models import Stage

from .helpers import add_jurors

pytestmark = pytest.mark.django_db


def test_a_running_jury_has_its_start_questionnaire_open_with_one_juror_to_answer(jury):
    jury.stage = Stage.LEARNING
    jury.save()
    first, *others = add_jurors(jury, 7)
    seed_evaluation(jury)
    start = jury.questionnaires.get(kind=Kind.START)
    assert start.state == State.OPEN
    assert not Answered.objects.filter(questionnaire=start, user=first).exists()
    assert start.answered.count() == 6
    seed_evaluation(jury)  # once only
    assert start.answered.count() == 6


def test_a_finished_jury_shows_its_results_and_the_change(jury):
    jury.stage = Stage.RESPONSE
    jury.save()
    add_jurors(jury, 6)
    seed_evaluation(jury)
    found = results_for(jury)
    assert all(result.shown for result in found if result.questionnaire.kind != Kind.ORGANISER)
    assert change_chart(jury, found) is not None
