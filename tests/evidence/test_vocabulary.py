"""The states of questions, requests and items, as the pages ask them."""

from evidence.models import EvidenceItem, EvidenceRequest, ItemKind, Question, QuestionState
from evidence.models.questions import RequestState


def test_a_question_says_whether_it_is_open_answered_or_merged():
    said = {
        state: (Question(state=state).is_open, Question(state=state).is_answered)
        + (Question(state=state).is_merged,)
        for state in QuestionState
    }

    assert said == {
        QuestionState.OPEN: (True, False, False),
        QuestionState.ANSWERED: (False, True, False),
        QuestionState.MERGED: (False, False, True),
    }


def test_only_a_request_waiting_for_the_facilitators_is_open():
    assert [s for s in RequestState if EvidenceRequest(state=s).is_open] == [RequestState.OPEN]


def test_only_a_recording_is_media():
    assert [k for k in ItemKind if EvidenceItem(kind=k).is_media] == [ItemKind.MEDIA]
