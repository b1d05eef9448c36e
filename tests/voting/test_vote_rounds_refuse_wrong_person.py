"""The pages of the vote's rounds refuse the wrong person (issue 15, acceptance check 7).

A round's results page (`vote-round`) is read by the same people as the results page; reopening
drafting (`vote-reopen`, also in test_decisions_refuse_wrong_person.py's table) is the
facilitators' alone, and only once an indicative round has closed.
"""

import pytest
from django.urls import reverse

from juries.models import Membership, Role, Stage
from tests.conftest import make_user, sign_in_recently
from voting import decisions
from voting.models import Vote

from .decisions_helpers import open_the_vote

EVERY_ROLE = ["facilitator", "juror", "observer", "oversight", "witness"]
READERS = {"facilitator", "juror", "observer"}


@pytest.fixture
def closed_round(jury, facilitator, personas, at_stage, make_recommendation):
    at_stage("decision")
    recommendation = make_recommendation()
    vote = open_the_vote(jury, facilitator, indicative=True)
    decisions.cast_ballot(vote, recommendation, personas["juror"], "oppose")
    return decisions.close_vote(vote, facilitator)


def round_url(slug="fraud-scores", number=1):
    return reverse("voting:vote-round", args=[slug, number])


def reopen_url(slug="fraud-scores"):
    return reverse("voting:vote-reopen", args=[slug])


def test_anonymous_visitors_are_sent_to_sign_in(client, closed_round):
    for response in (client.get(round_url()), client.post(reopen_url(), {"scope": "all"})):
        assert response.status_code == 302
        assert reverse("account_login") in response.url


def test_outsiders_and_members_of_another_jury_get_not_found(
    client, closed_round, make_jury, outsider
):
    other = make_jury(slug="another-jury", stage="decision")
    stranger = make_user("stranger@example.org", "Stranger")
    Membership.objects.create(jury=other, user=stranger, role=Role.FACILITATOR)
    for person in (outsider, stranger):
        sign_in_recently(client, person)
        assert client.get(round_url()).status_code == 404, person.email
        assert client.post(reopen_url(), {"scope": "all"}).status_code == 404, person.email
    assert not Vote.objects.get(pk=closed_round.pk).is_reopened


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_a_round_page_lets_in_exactly_the_readers(client, closed_round, personas, role):
    sign_in_recently(client, personas[role])
    status = client.get(round_url()).status_code
    assert status == (200 if role in READERS else 403), role


@pytest.mark.parametrize("role", [role for role in EVERY_ROLE if role != "facilitator"])
def test_only_facilitators_reopen_drafting(client, closed_round, personas, role, jury):
    sign_in_recently(client, personas[role])
    assert client.post(reopen_url(), {"scope": "all"}).status_code == 403, role
    assert not Vote.objects.get(pk=closed_round.pk).is_reopened
    jury.refresh_from_db()
    assert jury.stage == Stage.DECISION


def test_a_round_not_closed_has_no_page_and_cannot_be_reopened(
    client, jury, facilitator, personas, at_stage, make_recommendation
):
    at_stage("decision")
    make_recommendation()
    vote = open_the_vote(jury, facilitator, indicative=True)
    sign_in_recently(client, facilitator)
    assert client.get(round_url()).status_code == 404
    response = client.post(reopen_url(), {"scope": "all"}, follow=True)
    assert "Drafting reopens only after an indicative vote has closed." in response.text
    vote.refresh_from_db()
    assert vote.is_open and not vote.is_reopened
