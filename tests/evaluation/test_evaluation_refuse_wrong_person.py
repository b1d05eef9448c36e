"""Every page of the evaluation refuses the wrong person.

The table lists every named URL in `evaluation.views`; adding one without saying who may open it
fails `test_every_evaluation_url_is_listed`. At the Learning stage, with the start and organisers'
questionnaires open:

- anonymous visitors are sent to sign in;
- people outside the jury, and members of another jury, get 404;
- members whose role lacks the right get 403, and their posts change nothing.
"""

import pytest
from django.urls import reverse

from evaluation import views
from evaluation.models import Answered, EvaluationSettings, Kind, Response, State
from juries.models import Membership, Role, Stage
from tests.conftest import make_user, sign_in_recently

from .helpers import answers_for, open_questionnaire

EVERY_ROLE = frozenset({"facilitator", "juror", "witness", "observer", "oversight", "evaluator"})
FACILITATOR = frozenset({"facilitator"})
JUROR = frozenset({"juror"})
HUB = frozenset({"facilitator", "juror", "observer", "evaluator"})
READERS = frozenset({"facilitator", "observer", "evaluator"})
DOWNLOADERS = frozenset({"facilitator", "evaluator"})

PAGES = {
    "home": HUB,
    "manage": FACILITATOR,
    "results": READERS,
    "download-csv": DOWNLOADERS,
    "download-json": DOWNLOADERS,
    "download-schema": DOWNLOADERS,
    "answer": JUROR,  # the start questionnaire
    "answer-organiser": FACILITATOR,  # the same URL, for the organisers' questionnaire
}
ACTIONS = {
    "manage": FACILITATOR,
    "state": FACILITATOR,
    "answer": JUROR,
    "answer-organiser": FACILITATOR,
}


def test_every_evaluation_url_is_listed():
    names = {p.name for p in views.urlpatterns}
    assert names == (set(PAGES) | set(ACTIONS)) - {"answer-organiser"}


@pytest.fixture
def people(personas, evaluator):
    return {**personas, "evaluator": evaluator}


@pytest.fixture
def opened(jury, people):
    jury.stage = Stage.LEARNING
    jury.save()
    return {
        "answer": open_questionnaire(jury, Kind.START),
        "answer-organiser": open_questionnaire(jury, Kind.ORGANISER),
    }


def url(name, opened, slug="fraud-scores"):
    if name in ("answer", "answer-organiser"):
        return reverse("evaluation:answer", args=[slug, opened[name].pk])
    if name == "state":
        return reverse("evaluation:state", args=[slug, opened["answer"].pk])
    return reverse(f"evaluation:{name}", args=[slug])


def post_data(name, opened):
    if name in ("answer", "answer-organiser"):
        return answers_for(opened[name], "agree")
    if name == "state":
        return {"state": "closed"}
    return {"after_sittings": "on", "statements": "Changed by the wrong person"}


@pytest.mark.parametrize(
    "method, name", [("get", name) for name in PAGES] + [("post", name) for name in ACTIONS]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, opened, method, name):
    response = getattr(client, method)(url(name, opened))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


@pytest.mark.parametrize(
    "method, name", [("get", name) for name in PAGES] + [("post", name) for name in ACTIONS]
)
def test_outsiders_and_members_of_another_jury_get_not_found(
    client, opened, make_jury, outsider, method, name
):
    other = make_jury(slug="another-jury", stage="learning")
    stranger = make_user("stranger@example.org", "Stranger")
    Membership.objects.create(jury=other, user=stranger, role=Role.FACILITATOR)
    for person in (outsider, stranger):
        sign_in_recently(client, person)
        response = getattr(client, method)(url(name, opened), post_data(name, opened))
        assert response.status_code == 404, (person.email, name)
    # A questionnaire of this jury reached through another jury's address does not exist.
    sign_in_recently(client, stranger)
    if name in ("answer", "answer-organiser", "state"):
        response = getattr(client, method)(url(name, opened, slug="another-jury"))
        assert response.status_code == 404


@pytest.mark.parametrize("role", sorted(EVERY_ROLE))
@pytest.mark.parametrize("name", list(PAGES))
def test_pages_let_in_exactly_the_roles_allowed(client, opened, people, role, name):
    sign_in_recently(client, people[role])
    status = client.get(url(name, opened)).status_code
    if role in PAGES[name]:
        assert status == 200, (role, name)
    else:
        assert status == 403, (role, name)


REFUSED_ACTIONS = [
    (name, role) for name in ACTIONS for role in sorted(EVERY_ROLE) if role not in ACTIONS[name]
]


@pytest.mark.parametrize(("name", "role"), REFUSED_ACTIONS)
def test_actions_refuse_roles_without_the_right_and_change_nothing(
    client, jury, opened, people, role, name
):
    sign_in_recently(client, people[role])
    response = client.post(url(name, opened), post_data(name, opened))
    assert response.status_code == 403, (role, name)
    assert not Response.objects.exists() and not Answered.objects.exists()
    assert not EvaluationSettings.objects.exists() and not jury.topic_statements.exists()
    opened["answer"].refresh_from_db()
    assert opened["answer"].state == State.OPEN


def test_jurors_cannot_answer_before_the_draw(client, jury, opened, people):
    jury.stage = Stage.SETUP
    jury.save()
    sign_in_recently(client, people["juror"])
    response = client.post(url("answer", opened), post_data("answer", opened))
    assert response.status_code == 403
    assert not Response.objects.exists()
