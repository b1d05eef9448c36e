"""Every page of the vote refuses the wrong person.

The table lists every named URL in `voting.views.decisions`; adding one without saying who may
open it fails `test_every_vote_url_is_listed`. At the Decision stage, with the vote open:

- anonymous visitors are sent to sign in;
- people outside the jury, and members of another jury, get 404;
- members whose role lacks the right get 403 (witnesses and oversight members do not take part in
  the vote; observers watch the turnout but never vote; only facilitators run the vote).
"""

import pytest
from django.urls import reverse

from juries.models import Membership, Role
from tests.conftest import make_user, sign_in_recently
from voting.models import Ballot, VoteState
from voting.views import decisions as views

from .decisions_helpers import open_the_vote

EVERY_ROLE = frozenset({"facilitator", "juror", "witness", "observer", "oversight"})
READERS = frozenset({"facilitator", "juror", "observer"})
FACILITATOR = frozenset({"facilitator"})
JUROR = frozenset({"juror"})

PAGES = {
    "vote": READERS,
    "vote-open": FACILITATOR,
    "vote-close": FACILITATOR,
    "vote-results": READERS,
    "vote-ranking": JUROR,
}
ACTIONS = {
    "vote-rules": FACILITATOR,
    "vote-ballot": JUROR,
    "vote-open": FACILITATOR,
    "vote-close": FACILITATOR,
    "vote-ranking-open": FACILITATOR,
    "vote-ranking-close": FACILITATOR,
    "vote-reopen": FACILITATOR,
}
# Pages that take more than the jury's slug, checked in test_vote_rounds_refuse_wrong_person.py.
OTHER_PAGES = {"vote-round"}


def test_every_vote_url_is_listed():
    assert {p.name for p in views.urlpatterns} == set(PAGES) | set(ACTIONS) | OTHER_PAGES


@pytest.fixture
def opened(jury, facilitator, personas, at_stage, make_recommendation):
    at_stage("decision")
    recommendation = make_recommendation()
    vote = open_the_vote(jury, facilitator)
    return vote, recommendation


def url(name, slug="fraud-scores"):
    return reverse(f"voting:{name}", args=[slug])


def post_data(recommendation):
    return {f"rec-{recommendation.pk}-level": "support", "threshold_percent": "10"}


@pytest.mark.parametrize(
    "method, name", [("get", name) for name in PAGES] + [("post", name) for name in ACTIONS]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, opened, method, name):
    response = getattr(client, method)(url(name))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


@pytest.mark.parametrize(
    "method, name", [("get", name) for name in PAGES] + [("post", name) for name in ACTIONS]
)
def test_outsiders_and_members_of_another_jury_get_not_found(
    client, opened, make_jury, outsider, method, name
):
    other = make_jury(slug="another-jury", stage="decision")
    stranger = make_user("stranger@example.org", "Stranger")
    Membership.objects.create(jury=other, user=stranger, role=Role.FACILITATOR)
    for person in (outsider, stranger):
        sign_in_recently(client, person)
        response = getattr(client, method)(url(name), post_data(opened[1]))
        assert response.status_code == 404, (person.email, name)


@pytest.mark.parametrize("role", sorted(EVERY_ROLE))
@pytest.mark.parametrize("name", list(PAGES))
def test_pages_let_in_exactly_the_roles_allowed(client, opened, personas, role, name):
    sign_in_recently(client, personas[role])
    status = client.get(url(name)).status_code
    if role in PAGES[name]:
        assert status == 200, (role, name)
    else:
        assert status == 403, (role, name)


# Only the forbidden (action, role) pairs: every case asserts a refusal.
REFUSED_ACTIONS = [
    (name, role) for name in ACTIONS for role in sorted(EVERY_ROLE) if role not in ACTIONS[name]
]


@pytest.mark.parametrize(("name", "role"), REFUSED_ACTIONS)
def test_actions_refuse_roles_without_the_right_and_change_nothing(
    client, opened, personas, role, name
):
    vote, recommendation = opened
    sign_in_recently(client, personas[role])
    assert client.post(url(name), post_data(recommendation)).status_code == 403, (role, name)
    vote.refresh_from_db()
    assert vote.state == VoteState.OPEN and vote.threshold_percent == 80
    assert not Ballot.objects.exists()


def test_after_the_decision_stage_nobody_runs_or_casts_the_vote(client, opened, personas, at_stage):
    at_stage("report")
    for role, names in (("facilitator", ["vote-open", "vote-close"]), ("juror", ["vote-ballot"])):
        sign_in_recently(client, personas[role])
        for name in names:
            assert client.post(url(name), post_data(opened[1])).status_code == 403, name
    sign_in_recently(client, personas["observer"])
    assert client.get(url("vote-results")).status_code == 200
