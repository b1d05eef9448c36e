"""One kind of refusal, shown the same way wherever a service says no."""

import pytest
from django import forms
from django.contrib import messages
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from deliberate.room import RoomError
from deliberate.threads import ThreadError
from evidence.questions import QuestionError
from evidence.register import LinkRefused
from juries import refusals
from juries.accounts import AccountDeletionError
from juries.addresses import ChangeLinkError, EmailChangeError
from juries.invitations import InvitationError
from juries.members import MembershipError
from juries.selection.draws import DrawError
from juries.selection.quotas import QuotaError
from juries.selection.recruitment import RecruitmentError
from juries.stages import StageChangeError
from voting.decisions import DecisionError
from voting.dissent import DissentError
from voting.drafting import DraftingError
from voting.reports import ReportError
from voting.responses import ResponseError

REFUSALS = [
    AccountDeletionError,
    StageChangeError,
    MembershipError,
    DrawError,
    QuotaError,
    InvitationError,
    RecruitmentError,
    EmailChangeError,
    LinkRefused,
    QuestionError,
    ThreadError,
    RoomError,
    DraftingError,
    ResponseError,
    DecisionError,
    DissentError,
    ReportError,
]


@pytest.mark.parametrize("kind", REFUSALS, ids=lambda kind: kind.__name__)
def test_every_service_refusal_is_a_refusal_and_still_a_value_error(kind):
    assert issubclass(kind, refusals.Refused)
    assert issubclass(kind, ValueError)


def test_a_refused_confirmation_link_is_a_refusal_that_keeps_its_status():
    error = ChangeLinkError("This link has expired.", status=410)

    assert isinstance(error, refusals.Refused)
    assert error.status == 410


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_refusal_is_said_on_the_next_page_as_an_error_in_its_own_words():
    request = _request()

    refusals.show(request, DraftingError("This recommendation was merged."))

    said = [(m.level, m.message) for m in get_messages(request)]
    assert said == [(messages.ERROR, "This recommendation was merged.")]


def test_a_refusal_can_be_said_as_information_instead():
    request = _request()

    refusals.show(request, QuestionError("You already support it."), messages.INFO)

    assert [(m.level, m.message) for m in get_messages(request)] == [
        (messages.INFO, "You already support it.")
    ]


class _Form(forms.Form):
    body = forms.CharField()


def test_a_refusal_is_shown_on_the_form_above_it_or_beside_a_field():
    form = _Form({"body": "Hello"})
    assert form.is_valid()

    refusals.on_form(form, ThreadError("The thread is closed."))
    refusals.on_form(form, ThreadError("Too long."), "body")

    assert form.non_field_errors() == ["The thread is closed."]
    assert form.errors["body"] == ["Too long."]
