"""Every dissent and report page refuses the wrong person.

The tables list every named URL in `voting.views.reports` and `voting.views.dissent`; adding one without saying who may
open it fails `test_every_report_url_is_listed`. Member pages are checked at the report stage,
before publication; the published report's pages afterwards, for a jury that is not public:

- anonymous visitors are sent to sign in;
- people outside the jury, and members of another jury, get 404;
- members whose role (or the stage) lacks the right get 403, and nothing changes.
"""

import pytest
from django.urls import reverse

from juries.models import Membership, Role, Stage
from tests.conftest import make_user
from voting import dissent as dissent_service
from voting import report_files, reports
from voting.models import Dissent, Report, SignOff
from voting.views import dissent as dissent_views
from voting.views import reports as report_views

from .report_setup import ready_for_report

PATTERNS = [*dissent_views.urlpatterns, *report_views.urlpatterns]
EVERY_ROLE = frozenset({"facilitator", "juror", "witness", "observer", "oversight"})
READERS = frozenset({"facilitator", "juror", "observer"})
JUROR = frozenset({"juror"})
FACILITATOR = frozenset({"facilitator"})

# Before publication. url name -> roles let in (GET).
MEMBER_PAGES = {
    "dissent-list": READERS,
    "dissent-create": JUROR,
    "dissent-hide": FACILITATOR,
    "report": READERS,
    "report-publish": FACILITATOR,
    "report-correct": FACILITATOR,
}
# Before publication, POST only: url name -> roles allowed.
MEMBER_ACTIONS = {
    "dissent-sign": JUROR,
    "report-sign-off": JUROR,
}
# After publication: the published report follows the jury's public page (members only here).
PUBLISHED_PAGES = {
    "report-version": EVERY_ROLE,
    "report-download": EVERY_ROLE,
    "report-pdf-status": EVERY_ROLE,
    "report-verify": EVERY_ROLE,
    "report-schema": EVERY_ROLE,
}
PUBLISHED_ACTIONS = {"report-pdf-retry": FACILITATOR}
ALL = {**MEMBER_PAGES, **MEMBER_ACTIONS, **PUBLISHED_PAGES, **PUBLISHED_ACTIONS}
POSTS = {*MEMBER_ACTIONS, *PUBLISHED_ACTIONS}


def test_every_report_url_is_listed():
    assert {p.name for p in PATTERNS} == set(ALL)


@pytest.fixture
def state(
    jury,
    personas,
    other_juror,
    make_recommendation,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    """The jury at the report stage with a statement of dissent; `publish()` publishes it (with
    a stand-in PDF: making real ones is tested with the report)."""
    monkeypatch.setattr(report_files, "render_pdf", lambda report: b"%PDF-1.7 stand-in")
    setup = ready_for_report(jury, personas["facilitator"], make_recommendation)
    dissent = dissent_service.write_dissent(jury, other_juror, "No.", setup["first"])

    def publish():
        with django_capture_on_commit_callbacks(execute=True):
            reports.publish_report(jury, personas["facilitator"])

    return {"dissent": dissent, "publish": publish}


def address(name, slug, state):
    values = {"dissent_id": state["dissent"].pk, "version": 1, "fmt": "json"}
    pattern = next(p for p in PATTERNS if p.name == name)
    wanted = getattr(pattern.pattern, "converters", {}) or dict.fromkeys(
        pattern.pattern.regex.groupindex
    )
    kwargs = {key: values[key] for key in wanted if key != "slug"}
    return reverse(f"voting:{name}", kwargs={"slug": slug, **kwargs})


def _prepare(name, state):
    if name in PUBLISHED_PAGES or name in PUBLISHED_ACTIONS:
        state["publish"]()


def _send(client, name, url):
    return client.post(url) if name in POSTS else client.get(url)


@pytest.mark.parametrize("name", sorted(ALL))
def test_anonymous_visitors_are_sent_to_sign_in(client, jury, state, name):
    _prepare(name, state)
    response = _send(client, name, address(name, jury.slug, state))
    assert response.status_code == 302, name
    assert reverse("account_login") in response.url


@pytest.mark.parametrize("name", sorted(ALL))
def test_outsiders_and_members_of_another_jury_get_not_found(
    client, jury, state, outsider, make_jury, name
):
    _prepare(name, state)
    other = make_jury(slug="another-jury", stage=Stage.REPORT)
    stranger = make_user("stranger@example.org", "Stranger")
    Membership.objects.create(jury=other, user=stranger, role=Role.FACILITATOR)
    for person in (outsider, stranger):
        client.force_login(person)
        response = _send(client, name, address(name, jury.slug, state))
        assert response.status_code == 404, (person.email, name)


@pytest.mark.parametrize("name", ["dissent-sign", "dissent-hide"])
def test_one_jurys_statement_is_not_found_through_another_jurys_address(
    client, jury, state, make_jury, name
):
    other = make_jury(slug="another-jury", stage=Stage.REPORT)
    role = "facilitator" if name == "dissent-hide" else "juror"
    member = make_user("member@another.example.org", "Other member")
    Membership.objects.create(jury=other, user=member, role=role)
    client.force_login(member)
    assert _send(client, name, address(name, other.slug, state)).status_code == 404


@pytest.mark.parametrize("role", sorted(EVERY_ROLE))
@pytest.mark.parametrize("name", sorted({**MEMBER_PAGES, **PUBLISHED_PAGES}))
def test_member_pages_let_in_only_the_right_roles(client, jury, state, personas, name, role):
    _prepare(name, state)
    client.force_login(personas[role])
    response = client.get(address(name, jury.slug, state))
    expected = 200 if role in ALL[name] else 403
    assert response.status_code == expected, (name, role)


REFUSED_ACTIONS = [
    (name, role) for name in sorted(POSTS) for role in sorted(EVERY_ROLE) if role not in ALL[name]
]


@pytest.mark.parametrize(("name", "role"), REFUSED_ACTIONS)
def test_actions_refuse_the_wrong_roles_and_change_nothing(
    client, jury, state, personas, name, role
):
    _prepare(name, state)
    client.force_login(personas[role])
    response = client.post(address(name, jury.slug, state), {"choice": "confirm"})
    assert response.status_code == 403, (name, role)
    assert not SignOff.objects.exists()
    assert Dissent.objects.get().signers.count() == 1


@pytest.mark.parametrize("role", sorted(EVERY_ROLE - FACILITATOR))
def test_only_facilitators_may_publish_or_correct(client, jury, state, personas, role):
    client.force_login(personas[role])
    assert client.post(address("report-publish", jury.slug, state)).status_code == 403
    assert (
        client.post(address("report-correct", jury.slug, state), {"reason": "x"}).status_code == 403
    )
    assert not Report.objects.exists()


def test_jurors_cannot_write_dissent_once_the_report_is_published(client, jury, state, personas):
    state["publish"]()
    client.force_login(personas["juror"])
    response = client.post(
        address("dissent-create", jury.slug, state), {"about": "report", "text": "Late."}
    )
    assert response.status_code == 403
    assert Dissent.objects.count() == 1
