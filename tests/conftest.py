"""Fixed personas and small factory fixtures shared by every suite.

One jury ("the jury") with a member in each role, plus an outsider who belongs to none.
"""

import time
from pathlib import Path

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.account.models import EmailAddress

from juries.models import Jury, Membership, OversightBody, Role, User

# Fails any test case that passes without asserting anything.
pytest_plugins = ["tests.assertion_check"]

# Asserts in the suites' helper modules get pytest's explanations and count as the test's checks
# (test modules and conftests are rewritten anyway). Registered before any of them is imported.
pytest.register_assert_rewrite(
    "tests.live_servers",
    *(f"tests.{init.parent.name}" for init in sorted(Path(__file__).parent.glob("*/__init__.py"))),
)


def make_user(email, display_name=""):
    user = User.objects.create_user(email=email, display_name=display_name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def sign_in_recently(client, user):
    """Sign `user` in through the test client as if they had just entered an emailed code, so
    pages that ask people to confirm who they are (allauth's reauthentication) let them in."""
    client.force_login(user)
    session = client.session
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "code", "at": time.time(), "email": user.email, "reauthenticated": True}
    ]
    session.save()


@pytest.fixture
def make_person(db):
    return make_user


@pytest.fixture
def oversight_body(db):
    return OversightBody.objects.create(
        name="Benefits Oversight Board",
        description="Answers the jury.",
        public_contact="board@example.org",
    )


@pytest.fixture
def make_jury(db, oversight_body):
    def make(slug="fraud-scores", **fields):
        defaults = {
            "title": "Should the council use fraud-risk scores?",
            "remit": "Should the department adopt automated fraud-risk scoring?",
            "remit_summary": "Should a computer help decide whose benefit claim is checked?",
            "commissioning_organisation": "Department for Benefits",
            "oversight_body": oversight_body,
        }
        defaults.update(fields)
        return Jury.objects.create(slug=slug, **defaults)

    return make


@pytest.fixture
def jury(make_jury):
    return make_jury()


def _member(jury, email, name, role):
    user = make_user(email, name)
    Membership.objects.create(jury=jury, user=user, role=role)
    return user


@pytest.fixture
def facilitator(jury):
    return _member(jury, "fran@example.org", "Fran", Role.FACILITATOR)


@pytest.fixture
def juror(jury):
    return _member(jury, "jo@example.org", "Jo", Role.JUROR)


@pytest.fixture
def other_juror(jury):
    return _member(jury, "kim@example.org", "Kim", Role.JUROR)


@pytest.fixture
def witness(jury):
    return _member(jury, "wren@example.org", "Wren", Role.WITNESS)


@pytest.fixture
def observer(jury):
    return _member(jury, "olu@example.org", "Olu", Role.OBSERVER)


@pytest.fixture
def oversight(jury):
    return _member(jury, "ola@example.org", "Ola", Role.OVERSIGHT)


@pytest.fixture
def evaluator(jury):
    """Not among the personas: most suites predate the role (they add it where they test it)."""
    return _member(jury, "eve@example.org", "Eve", Role.EVALUATOR)


@pytest.fixture
def outsider(db):
    return make_user("otto@example.org", "Otto")


@pytest.fixture
def personas(facilitator, juror, witness, observer, oversight, outsider):
    return {
        "facilitator": facilitator,
        "juror": juror,
        "witness": witness,
        "observer": observer,
        "oversight": oversight,
        "outsider": outsider,
    }


@pytest.fixture(autouse=True)
def _mfa_not_required_unless_asked(settings):
    """Most tests are about other things; tests of the MFA rule turn it back on."""
    settings.REQUIRE_MFA_FOR_FACILITATORS = False


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    """Uploaded files go to a folder of the test's own, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
