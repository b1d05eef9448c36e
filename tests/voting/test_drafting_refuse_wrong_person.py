"""Every drafting page refuses the wrong person.

The table lists every named URL in `voting.views.drafting`; adding one without saying who may
open it fails `test_every_drafting_url_is_listed`. At the Drafting stage:

- anonymous visitors are sent to sign in;
- people outside the jury, and members of another jury, get 404;
- members whose role lacks the right get 403: witnesses and oversight members do not read
  drafts; observers read but never write; only jurors draft and only facilitators manage.
"""

import pytest
from django.urls import reverse

from juries.models import Membership, Role
from tests.conftest import make_user
from voting import amendments, drafting
from voting.models import Recommendation
from voting.views import drafting as drafting_urls

EVERY_ROLE = frozenset({"facilitator", "juror", "witness", "observer", "oversight"})
READERS = frozenset({"facilitator", "juror", "observer"})
JUROR = frozenset({"juror"})
FACILITATOR = frozenset({"facilitator"})

# url name -> roles let in (GET)
MEMBER_PAGES = {
    "recommendations": READERS,
    "recommendation-create": JUROR,
    "recommendation": READERS,
    "recommendation-revise": JUROR,
    "recommendation-history": READERS,
    "recommendation-citations": JUROR,
    "recommendation-merge": FACILITATOR,
    "amendment-create": JUROR,
    "amendment-decide": FACILITATOR,
    "theme-create": FACILITATOR,
    "theme-edit": FACILITATOR,
}
# POST-only: url name -> roles allowed
MEMBER_ACTIONS = {
    "recommendation-theme": FACILITATOR,
    "amendment-vote": JUROR,
}
EVERYTHING = {**MEMBER_PAGES, **MEMBER_ACTIONS}
WORDING = {
    "statement": "Publish the error rates.",
    "rationale": "People should know.",
    "addressed_to": "The department",
}
# Enough for any of the forms to be valid, so a refusal is the permission's, not the form's.
POST_DATA = {
    **WORDING,
    "statement": "Changed wording.",
    "note": "n",
    "reason": "r",
    "title": "A new theme",
    "do": "reject",
    "agree": "yes",
    "other": "2",
}


def test_every_drafting_url_is_listed():
    assert {p.name for p in drafting_urls.urlpatterns} == set(EVERYTHING)


@pytest.fixture
def url_for(at_stage, jury, juror, facilitator):
    at_stage("drafting")
    rec = drafting.propose(jury, juror, **WORDING)
    drafting.propose(jury, juror, **{**WORDING, "statement": "Another."})
    amendment = amendments.propose_amendment(
        rec, juror, **{**WORDING, "statement": "Amended."}, reason="Better"
    )
    amendments.put_amendment_to_vote(amendment, facilitator)
    theme = drafting.create_theme(jury, facilitator, "Openness")
    values = {
        "slug": jury.slug,
        "number": rec.number,
        "amendment_id": amendment.pk,
        "theme_id": theme.pk,
    }

    def build(name, slug=None):
        pattern = next(p for p in drafting_urls.urlpatterns if p.name == name)
        kwargs = {key: values[key] for key in pattern.pattern.converters}
        if slug:
            kwargs["slug"] = slug
        return reverse(f"voting:{name}", kwargs=kwargs)

    return build


def snapshot():
    """What a refused request must leave as it was."""
    return [
        (
            r.number,
            r.state,
            r.revision_count,
            r.theme_id,
            r.amendments.filter(state="voting").count(),
        )
        for r in Recommendation.objects.order_by("pk")
    ]


@pytest.mark.parametrize("name", list(EVERYTHING))
def test_anonymous_visitors_are_sent_to_sign_in(client, url_for, name):
    method = client.post if name in MEMBER_ACTIONS else client.get
    response = method(url_for(name))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


@pytest.mark.parametrize("name", list(EVERYTHING))
def test_outsiders_and_members_of_another_jury_get_not_found(
    client, url_for, outsider, make_jury, name
):
    other = make_jury(slug="another-jury", stage="drafting")
    stranger = make_user("stranger@example.org", "Stranger")
    Membership.objects.create(jury=other, user=stranger, role=Role.JUROR)
    before = snapshot()
    for person in (outsider, stranger):
        client.force_login(person)
        assert client.get(url_for(name)).status_code in (404, 405), (person.email, name)
        assert client.post(url_for(name), POST_DATA).status_code == 404, (person.email, name)
    assert snapshot() == before


# Pages whose address names something of the jury's own (a number, a theme, an amendment).
OBJECT_URLS = [
    n for n in EVERYTHING if n not in ("recommendations", "recommendation-create", "theme-create")
]


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_one_jurys_recommendations_are_not_found_through_another_jurys_address(
    client, url_for, make_jury, name
):
    """Someone with the right role in another jury, trying this jury's objects through theirs.
    (The other jury has no recommendation, theme or amendment of those numbers.)"""
    other = make_jury(slug="another-jury", stage="drafting")
    role = sorted(EVERYTHING[name])[0]
    member = make_user("member@another.example.org", "Other member")
    Membership.objects.create(jury=other, user=member, role=role)
    client.force_login(member)
    method = client.post if name in MEMBER_ACTIONS else client.get
    assert method(url_for(name, slug=other.slug)).status_code == 404, name


@pytest.mark.parametrize("role", sorted(EVERY_ROLE))
@pytest.mark.parametrize("name", list(MEMBER_PAGES))
def test_pages_let_in_exactly_the_roles_allowed(client, url_for, personas, role, name):
    client.force_login(personas[role])
    status = client.get(url_for(name)).status_code
    if role in MEMBER_PAGES[name]:
        assert status == 200, (role, name)
    else:
        assert status == 403, (role, name)


# Only the forbidden (url name, role) pairs: every case asserts a refusal.
REFUSED_CHANGES = [
    (name, role)
    for name in EVERYTHING
    for role in sorted(EVERY_ROLE)
    if role not in EVERYTHING[name]
]


@pytest.mark.parametrize(("name", "role"), REFUSED_CHANGES)
def test_changes_are_refused_to_roles_without_the_right(client, url_for, personas, role, name):
    client.force_login(personas[role])
    before = snapshot()
    assert client.post(url_for(name), POST_DATA).status_code == 403, (role, name)
    assert snapshot() == before


@pytest.mark.parametrize("name", list(EVERYTHING))
def test_before_drafting_even_jurors_and_facilitators_are_refused(
    client, url_for, personas, at_stage, name
):
    at_stage("deliberation")
    role = sorted(EVERYTHING[name])[0]
    client.force_login(personas[role])
    method = client.post if name in MEMBER_ACTIONS else client.get
    assert method(url_for(name)).status_code == 403, name


def test_observers_read_but_do_not_write(client, url_for, observer):
    client.force_login(observer)
    page = client.get(url_for("recommendation")).content.decode()
    assert "Publish the error rates." in page
    assert client.post(url_for("recommendation-revise"), POST_DATA).status_code == 403
    assert client.post(url_for("amendment-vote"), POST_DATA).status_code == 403
