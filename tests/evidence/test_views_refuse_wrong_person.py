"""Every page of the evidence app refuses the wrong person.

The table lists every named URL in `evidence.urls`; adding one without saying who may open it
fails `test_every_evidence_url_is_listed`. At the Learning stage:

- anonymous visitors are sent to sign in from member pages;
- people outside the jury, and jurors of another jury, get 404 from its member pages (including
  direct links to uploaded files);
- members whose role lacks the right get 403.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from evidence import urls as evidence_urls
from evidence.models import (
    EvidenceItem,
    EvidencePack,
    EvidenceRequest,
    Question,
    System,
    SystemVersion,
    Witness,
)
from juries.models import Membership, Role
from tests.conftest import make_user

EVERY_ROLE = frozenset({"facilitator", "juror", "witness", "observer", "oversight"})
FACILITATOR = frozenset({"facilitator"})
READERS = frozenset({"facilitator", "observer"})

# url name -> roles let in (GET) at the Learning stage
MEMBER_PAGES = {
    "index": EVERY_ROLE,
    "balance": READERS,
    "pack-create": FACILITATOR,
    "pack": EVERY_ROLE,
    "pack-edit": FACILITATOR,
    "item-create": FACILITATOR,
    "item-edit": FACILITATOR,
    "item": EVERY_ROLE,
    "item-file": EVERY_ROLE,
    "glossary": EVERY_ROLE,
    "systems": EVERY_ROLE,
    "search": EVERY_ROLE,
    "questions": EVERY_ROLE,
    "question": EVERY_ROLE,
    "witnesses": EVERY_ROLE,
    "witness-create": FACILITATOR,
    "witness": EVERY_ROLE,
    "witness-edit": FACILITATOR,  # and the witness themself, for their statement (tested apart)
    "requests": EVERY_ROLE,
}
# POST-only actions: url name -> roles allowed
MEMBER_ACTIONS = {
    "pack-publish": FACILITATOR,
    "question-support": frozenset({"juror"}),
    "question-assign": FACILITATOR,
    "question-merge": FACILITATOR,
    "request-respond": FACILITATOR,
}
# Readable by anyone (the register; a public jury's public items) or, for import, by staff and
# facilitators (a new entry, tested in test_register.py) and, for one entry, by staff and the
# facilitators of a jury that reviews it (below, and in test_register_edits.py).
OPEN_PAGES = {"register", "system", "system-json", "system-csv", "public-evidence", "public-item"}
REGISTER_MANAGERS = {"system-import", "system-reimport"}

PDF = b"%PDF-1.7\n%%EOF\n"


def test_every_evidence_url_is_listed():
    names = {p.name for p in evidence_urls.urlpatterns}
    listed = set(MEMBER_PAGES) | set(MEMBER_ACTIONS) | OPEN_PAGES | REGISTER_MANAGERS
    assert names == listed


@pytest.fixture
def learning_jury(jury):
    jury.stage = "learning"
    jury.save()
    return jury


@pytest.fixture
def url_for(learning_jury, facilitator, juror):
    pack = EvidencePack.objects.create(
        jury=learning_jury, title="Pack", published_at=timezone.now()
    )
    item = EvidenceItem.objects.create(
        pack=pack,
        title="Item",
        provided_by="Dept",
        standpoint="commissioning",
        summary="S",
        kind="document",
        file=SimpleUploadedFile("a.pdf", PDF),
    )
    witness = Witness.objects.create(jury=learning_jury, name="W", role="R", standpoint="expert")
    question = Question.objects.create(jury=learning_jury, asked_by=juror, text="Why?")
    request = EvidenceRequest.objects.create(
        jury=learning_jury, asked_by=juror, kind="evidence", text="More"
    )
    values = {
        "slug": learning_jury.slug,
        "pack_id": pack.pk,
        "item_id": item.pk,
        "witness_id": witness.pk,
        "question_id": question.pk,
        "request_id": request.pk,
    }

    def build(name, slug=None):
        pattern = next(p for p in evidence_urls.urlpatterns if p.name == name)
        kwargs = {key: values[key] for key in pattern.pattern.converters}
        if slug:
            kwargs["slug"] = slug
        return reverse(f"evidence:{name}", kwargs=kwargs)

    return build


@pytest.mark.parametrize("name", [*MEMBER_PAGES, *MEMBER_ACTIONS])
def test_anonymous_visitors_are_sent_to_sign_in(client, url_for, name):
    method = client.post if name in MEMBER_ACTIONS else client.get
    response = method(url_for(name))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


@pytest.mark.parametrize("name", [*MEMBER_PAGES, *MEMBER_ACTIONS])
def test_outsiders_and_jurors_of_another_jury_get_not_found(
    client, url_for, outsider, make_jury, name
):
    other = make_jury(slug="another-jury")
    stranger = make_user("stranger@example.org", "Stranger")
    Membership.objects.create(jury=other, user=stranger, role=Role.JUROR)
    method = client.post if name in MEMBER_ACTIONS else client.get
    for person in (outsider, stranger):
        client.force_login(person)
        assert method(url_for(name)).status_code == 404, (person.email, name)


OBJECT_URLS = [
    "pack-publish",
    "pack",
    "pack-edit",
    "item-create",
    "item-edit",
    "item",
    "item-file",
    "question",
    "witness",
    "witness-edit",
    "question-assign",
    "question-merge",
    "request-respond",
]


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_one_jurys_objects_are_not_found_through_another_jurys_address(
    client, url_for, make_jury, name
):
    other = make_jury(slug="another-jury", stage="learning")
    their_facilitator = make_user("fac@another.example.org", "Other facilitator")
    Membership.objects.create(jury=other, user=their_facilitator, role=Role.FACILITATOR)
    client.force_login(their_facilitator)
    method = client.post if name in MEMBER_ACTIONS else client.get
    assert method(url_for(name, slug=other.slug)).status_code == 404, name


@pytest.mark.parametrize("role", sorted(EVERY_ROLE))
@pytest.mark.parametrize("name", list(MEMBER_PAGES))
def test_member_pages_let_in_exactly_the_roles_allowed(client, url_for, personas, role, name):
    client.force_login(personas[role])
    status = client.get(url_for(name)).status_code
    if role in MEMBER_PAGES[name]:
        assert status == 200, (role, name)
    else:
        assert status == 403, (role, name)


# Only the forbidden (action, role) pairs: every case asserts a refusal.
REFUSED_ACTIONS = [
    (name, role)
    for name in MEMBER_ACTIONS
    for role in sorted(EVERY_ROLE)
    if role not in MEMBER_ACTIONS[name]
]


@pytest.mark.parametrize(("name", "role"), REFUSED_ACTIONS)
def test_actions_refuse_roles_without_the_right(client, url_for, personas, role, name):
    client.force_login(personas[role])
    assert client.post(url_for(name)).status_code == 403, (role, name)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_systems_entry_may_be_changed_only_by_the_reviewing_jurys_facilitators(
    client, learning_jury, personas, make_jury, method
):
    system = System.objects.create(
        slug="risk-score", name="Risk score", organisation="Council", purpose="To check claims."
    )
    system.juries.add(learning_jury)
    other = make_jury(slug="another-jury", stage="learning")
    their_facilitator = make_user("fac@another.example.org", "Other facilitator")
    Membership.objects.create(jury=other, user=their_facilitator, role=Role.FACILITATOR)
    address = reverse("evidence:system-reimport", args=[system.slug])
    record = {"record_text": '{"deliberate": {"purpose": "Taken over."}}', "format": "json"}
    send = client.post if method == "post" else client.get
    refused = [person for role, person in personas.items() if role != "facilitator"]
    for person in [*refused, their_facilitator]:
        client.force_login(person)
        assert send(address, record).status_code == 403, person.email
    assert not SystemVersion.objects.exists()
    client.force_login(personas["facilitator"])
    assert send(address, record).status_code == (302 if method == "post" else 200)
