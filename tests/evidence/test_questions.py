"""Questions to witnesses, their answers, witness profiles and requests for more evidence."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evidence import questions as service
from evidence.models import (
    EvidenceItem,
    EvidencePack,
    EvidenceRequest,
    Question,
    QuestionState,
    RequestState,
    Support,
    Witness,
)
from juries.models import AuditEntry, Membership, Role, Stage
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def _jury_is_learning(jury):
    """Questions belong to the learning, deliberation and drafting stages."""
    jury.stage = Stage.LEARNING
    jury.save()


@pytest.fixture
def wren(jury, witness):
    """The `witness` persona's profile."""
    return Witness.objects.create(
        jury=jury,
        user=witness,
        name="Dr Wren Hale",
        role="Statistician at a university",
        standpoint="expert",
        who_pays="Her university; no fee for this jury.",
    )


@pytest.fixture
def mark(jury):
    """Another witness, who answers through the facilitators (no account)."""
    return Witness.objects.create(
        jury=jury, name="Mark Ellison", role="The supplier's data scientist", standpoint="operator"
    )


@pytest.fixture
def item(jury):
    pack = EvidencePack.objects.create(
        jury=jury, title="How the score works", position=1, published_at=timezone.now()
    )
    return EvidenceItem.objects.create(
        pack=pack,
        title="The department's proposal",
        provided_by="The department",
        standpoint="commissioning",
        summary="What they want to do.",
        body="Score every new claim.",
        position=1,
    )


@pytest.fixture
def question(jury, juror, wren):
    return Question.objects.create(
        jury=jury, asked_by=juror, witness=wren, text="How was the model tested?"
    )


@pytest.fixture
def stranger(make_jury):
    """A juror of another jury."""
    other = make_jury(slug="another")
    person = make_user("stranger@example.org", "Stranger")
    Membership.objects.create(jury=other, user=person, role=Role.JUROR)
    return person


def url(name, jury, *args):
    return reverse(f"evidence:{name}", args=[jury.slug, *args])


def page_of(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    return response.content.decode()


def sections(page):
    """The question list's two parts: (waiting for an answer, answered)."""
    waiting, answered = re.split(r"<h2>Answered \(", page, maxsplit=1)
    return waiting.split("Waiting for an answer (", 1)[1], answered


# --- Asking -------------------------------------------------------------------------------------


def test_a_juror_asks_a_witness_a_question_about_an_evidence_item(client, jury, juror, wren, item):
    client.force_login(juror)
    response = client.post(
        url("questions", jury),
        {"text": "Who checked the test results?", "witness": wren.pk, "item": item.pk},
    )
    question = Question.objects.get()
    assert response.status_code == 302
    assert response.url == url("question", jury, question.pk)
    assert (question.asked_by, question.witness, question.item) == (juror, wren, item)
    assert question.state == QuestionState.OPEN
    page = page_of(client, response.url)
    assert "Who checked the test results?" in page
    assert "to Dr Wren Hale" in page
    assert "The department&#x27;s proposal" in page


def test_a_juror_asks_whoever_can_answer(client, jury, juror, wren):
    client.force_login(juror)
    response = client.post(url("questions", jury), {"text": "How long is a check?", "witness": ""})
    question = Question.objects.get()
    assert question.witness is None and question.item is None
    assert "to whoever can answer" in page_of(client, response.url)


def test_the_ask_form_starts_with_the_item_the_juror_came_from(client, jury, juror, item):
    client.force_login(juror)
    page = page_of(client, url("questions", jury) + f"?item={item.pk}")
    assert f'<option value="{item.pk}" selected>' in page


def test_a_juror_cannot_ask_another_jurys_witness_or_about_its_evidence(
    client, jury, juror, make_jury
):
    other = make_jury(slug="another")
    their_witness = Witness.objects.create(
        jury=other, name="Someone Else", role="Elsewhere", standpoint="expert"
    )
    their_pack = EvidencePack.objects.create(
        jury=other, title="Theirs", position=1, published_at=timezone.now()
    )
    their_item = EvidenceItem.objects.create(
        pack=their_pack, title="Theirs", provided_by="X", standpoint="legal", summary="S"
    )
    client.force_login(juror)
    for data in ({"witness": their_witness.pk}, {"item": their_item.pk}):
        response = client.post(url("questions", jury), {"text": "Hello?", **data})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert not Question.objects.exists()


def test_a_question_longer_than_2000_characters_is_refused(client, jury, juror):
    client.force_login(juror)
    response = client.post(url("questions", jury), {"text": "Why? " * 500})
    assert response.status_code == 200
    assert not Question.objects.exists()


@pytest.mark.parametrize("stage", [Stage.SETUP, Stage.SELECTION, Stage.DECISION, Stage.REPORT])
def test_jurors_cannot_ask_outside_question_time(client, jury, juror, stage):
    jury.stage = stage
    jury.save()
    client.force_login(juror)
    assert "Send my question" not in page_of(client, url("questions", jury))
    response = client.post(url("questions", jury), {"text": "Too early or too late?"})
    assert response.status_code == 403
    assert not Question.objects.exists()


@pytest.mark.parametrize("stage", [Stage.LEARNING, Stage.DELIBERATION, Stage.DRAFTING])
def test_jurors_ask_while_they_learn_deliberate_and_draft(client, jury, juror, stage):
    jury.stage = stage
    jury.save()
    client.force_login(juror)
    response = client.post(url("questions", jury), {"text": "Is it fair?"})
    assert response.status_code == 302
    assert Question.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("facilitator", 403),
        ("witness", 403),
        ("observer", 403),
        ("oversight", 403),
        ("outsider", 404),
    ],
)
def test_only_jurors_ask_questions(client, jury, personas, who, status):
    client.force_login(personas[who])
    response = client.post(url("questions", jury), {"text": "May I ask?"})
    assert response.status_code == status
    assert not Question.objects.exists()


# --- Supporting ---------------------------------------------------------------------------------


def test_another_juror_supports_a_question_and_supporting_twice_counts_once(
    client, jury, question, other_juror
):
    client.force_login(other_juror)
    for _ in range(2):
        response = client.post(url("question-support", jury, question.pk))
        assert response.status_code == 302
    assert Support.objects.filter(question=question).count() == 1
    page = page_of(client, url("question", jury, question.pk))
    assert "1 juror supports it" in page
    assert "Withdraw my support" in page


def test_the_asker_cannot_support_their_own_question(client, jury, question, juror):
    client.force_login(juror)
    page = page_of(client, url("question", jury, question.pk))
    assert "I want to know this too" not in page
    response = client.post(url("question-support", jury, question.pk), follow=True)
    assert "You asked this question, so your support is already counted." in (
        response.content.decode()
    )
    assert not Support.objects.exists()


def test_a_juror_withdraws_their_support(client, jury, question, other_juror):
    Support.objects.create(question=question, user=other_juror)
    client.force_login(other_juror)
    response = client.post(
        url("question-support", jury, question.pk), {"withdraw": "1", "back": "list"}
    )
    assert response.url == url("questions", jury)
    assert not Support.objects.exists()
    page = page_of(client, url("questions", jury))
    assert "0 jurors support it" in page
    assert "I want to know this too" in page


@pytest.mark.parametrize(("who", "status"), [("observer", 403), ("outsider", 404)])
def test_only_jurors_support_questions(client, jury, question, personas, who, status):
    client.force_login(personas[who])
    assert client.post(url("question-support", jury, question.pk)).status_code == status
    assert not Support.objects.exists()


# --- Answering ----------------------------------------------------------------------------------


def test_the_witness_answers_and_the_asker_and_each_supporter_get_one_email(
    client, jury, question, juror, other_juror, witness, item, mailoutbox, make_person
):
    question.item = item
    question.save()
    third = make_person("ana@example.org", "Ana")
    Membership.objects.create(jury=jury, user=third, role=Role.JUROR)
    Support.objects.create(question=question, user=other_juror)
    Support.objects.create(question=question, user=third)

    client.force_login(witness)
    assert "Publish my answer" in page_of(client, url("question", jury, question.pk))
    response = client.post(
        url("question", jury, question.pk), {"answer": "On **last year's** claims."}
    )
    assert response.url == url("question", jury, question.pk)

    assert sorted(address for m in mailoutbox for address in m.to) == sorted(
        [juror.email, other_juror.email, third.email]
    )
    assert all(url("question", jury, question.pk) in m.body for m in mailoutbox)
    assert "How was the model tested?" in mailoutbox[0].body

    client.force_login(juror)
    page = page_of(client, url("question", jury, question.pk))
    assert "<strong>last year&#x27;s</strong>" in page or "<strong>last year's</strong>" in page
    assert "Answered by Wren" in page
    item_page = page_of(client, url("item", jury, item.pk))
    beside = item_page.split("Questions about this item", 1)[1]
    assert "How was the model tested?" in beside
    assert "last year" in beside


def test_a_witness_answers_a_question_put_to_whoever_can_answer(
    client, jury, juror, witness, wren, mailoutbox
):
    question = Question.objects.create(jury=jury, asked_by=juror, text="How long is a check?")
    client.force_login(witness)
    client.post(url("question", jury, question.pk), {"answer": "A week, usually."})
    question.refresh_from_db()
    assert question.state == QuestionState.ANSWERED
    assert question.answered_by == witness
    assert [m.to for m in mailoutbox] == [[juror.email]]


def test_a_witness_cannot_answer_a_question_put_to_another_witness(
    client, jury, juror, witness, mark, mailoutbox
):
    question = Question.objects.create(jury=jury, asked_by=juror, witness=mark, text="Who paid?")
    client.force_login(witness)
    assert "Publish my answer" not in page_of(client, url("question", jury, question.pk))
    response = client.post(url("question", jury, question.pk), {"answer": "Not me."})
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.state == QuestionState.OPEN and question.answer == ""
    assert mailoutbox == []


@pytest.mark.parametrize("who", ["facilitator", "juror", "observer", "oversight"])
def test_people_who_are_not_witnesses_cannot_answer(client, jury, question, personas, who):
    client.force_login(personas[who])
    assert "Publish my answer" not in page_of(client, url("question", jury, question.pk))
    response = client.post(url("question", jury, question.pk), {"answer": "I know this!"})
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.answer == ""


def test_an_empty_answer_is_refused_with_a_message(client, jury, question, witness, mailoutbox):
    client.force_login(witness)
    response = client.post(url("question", jury, question.pk), {"answer": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    question.refresh_from_db()
    assert question.state == QuestionState.OPEN
    assert mailoutbox == []


# --- Listing ------------------------------------------------------------------------------------


def test_unanswered_questions_stay_listed_under_waiting_for_an_answer(
    client, jury, juror, witness, wren
):
    Question.objects.create(jury=jury, asked_by=juror, text="Still waiting?")
    answered = Question.objects.create(jury=jury, asked_by=juror, witness=wren, text="Done yet?")
    service.answer(question=answered, text="Yes.", by=witness)
    client.force_login(juror)
    waiting, done = sections(page_of(client, url("questions", jury)))
    assert "Still waiting?" in waiting and "Still waiting?" not in done
    assert "Done yet?" in done and "Done yet?" not in waiting


def test_the_question_list_does_not_do_more_queries_for_more_questions(
    client, jury, juror, other_juror, wren, item
):
    def add_questions(first, last):
        for n in range(first, last + 1):
            asker = juror if n % 2 else other_juror
            question = Question.objects.create(
                jury=jury,
                asked_by=asker,
                witness=wren if n % 3 else None,
                item=item if n % 4 else None,
                text=f"Question {n}",
            )
            Support.objects.create(question=question, user=other_juror if asker == juror else juror)

    add_questions(1, 5)
    client.force_login(juror)
    client.get(url("questions", jury))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("questions", jury)).status_code == 200
    add_questions(6, 50)
    with CaptureQueriesContext(connection) as many:
        page = page_of(client, url("questions", jury))
    assert "Question 50" in page
    assert len(many) == len(few), (len(few), len(many))


# --- Assigning and merging ----------------------------------------------------------------------


def test_a_facilitator_puts_a_question_to_a_witness(client, jury, juror, facilitator, wren):
    question = Question.objects.create(jury=jury, asked_by=juror, text="Who can tell me?")
    client.force_login(facilitator)
    client.post(url("question-assign", jury, question.pk), {"witness": wren.pk})
    question.refresh_from_db()
    assert question.witness == wren
    assert "to Dr Wren Hale" in page_of(client, url("question", jury, question.pk))
    entry = AuditEntry.objects.get(action="question.assign")
    assert entry.actor == facilitator and entry.jury == jury


def test_a_facilitator_merges_a_duplicate_and_everyone_who_asked_it_supports_the_other(
    client, jury, juror, other_juror, facilitator, wren, make_person
):
    target = Question.objects.create(jury=jury, asked_by=juror, witness=wren, text="Is it fair?")
    duplicate = Question.objects.create(jury=jury, asked_by=other_juror, text="Fair to whom?")
    ana = make_person("ana@example.org", "Ana")
    Membership.objects.create(jury=jury, user=ana, role=Role.JUROR)
    Support.objects.create(question=duplicate, user=ana)
    Support.objects.create(question=duplicate, user=juror)  # asked the target: counted already

    client.force_login(facilitator)
    response = client.post(url("question-merge", jury, duplicate.pk), {"into": target.pk})
    assert response.url == url("question", jury, target.pk)

    duplicate.refresh_from_db()
    assert duplicate.state == QuestionState.MERGED and duplicate.merged_into == target
    assert set(target.supports.values_list("user", flat=True)) == {other_juror.pk, ana.pk}
    assert "2 jurors support it" in page_of(client, url("question", jury, target.pk))
    merged_page = page_of(client, url("question", jury, duplicate.pk))
    assert f'href="{url("question", jury, target.pk)}"' in merged_page
    assert "This question was merged with" in merged_page
    entry = AuditEntry.objects.get(action="question.merge")
    assert entry.actor == facilitator and entry.target_id == str(duplicate.pk)

    waiting, _answered = sections(page_of(client, url("questions", jury)))
    assert "Is it fair?" in waiting and "Fair to whom?" not in waiting


def test_the_askers_of_a_merged_question_hear_when_the_other_is_answered(
    jury, juror, other_juror, facilitator, witness, wren, mailoutbox
):
    target = Question.objects.create(jury=jury, asked_by=juror, witness=wren, text="Is it fair?")
    duplicate = Question.objects.create(jury=jury, asked_by=other_juror, text="Fair to whom?")
    service.merge(question=duplicate, into=target, by=facilitator)
    service.answer(question=target, text="Mostly.", by=witness)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([juror.email, other_juror.email])


def test_a_question_cannot_be_merged_into_itself(client, jury, question, facilitator):
    client.force_login(facilitator)
    response = client.post(
        url("question-merge", jury, question.pk), {"into": question.pk}, follow=True
    )
    assert "Choose the question to merge this one into." in response.content.decode()
    question.refresh_from_db()
    assert question.state == QuestionState.OPEN
    assert not AuditEntry.objects.filter(action="question.merge").exists()
    with pytest.raises(service.QuestionError, match="Choose a different question"):
        service.merge(question=question, into=question, by=facilitator)


def test_a_question_cannot_be_merged_into_a_merged_question(
    client, jury, juror, other_juror, facilitator
):
    first = Question.objects.create(jury=jury, asked_by=juror, text="One")
    merged = Question.objects.create(jury=jury, asked_by=other_juror, text="Two")
    third = Question.objects.create(jury=jury, asked_by=other_juror, text="Three")
    service.merge(question=merged, into=first, by=facilitator)

    client.force_login(facilitator)
    response = client.post(url("question-merge", jury, third.pk), {"into": merged.pk}, follow=True)
    assert "Choose the question to merge this one into." in response.content.decode()
    third.refresh_from_db()
    assert third.state == QuestionState.OPEN
    with pytest.raises(service.QuestionError, match="choose the one it joined"):
        service.merge(question=third, into=merged, by=facilitator)


def test_a_question_already_merged_cannot_be_merged_again(
    client, jury, juror, other_juror, facilitator
):
    first = Question.objects.create(jury=jury, asked_by=juror, text="One")
    merged = Question.objects.create(jury=jury, asked_by=other_juror, text="Two")
    third = Question.objects.create(jury=jury, asked_by=juror, text="Three")
    service.merge(question=merged, into=first, by=facilitator)
    client.force_login(facilitator)
    client.post(url("question-merge", jury, merged.pk), {"into": third.pk})
    merged.refresh_from_db()
    assert merged.merged_into == first


@pytest.mark.parametrize(("who", "status"), [("juror", 403), ("witness", 403), ("outsider", 404)])
def test_only_facilitators_assign_and_merge(
    client, jury, juror, other_juror, wren, personas, who, status
):
    question = Question.objects.create(jury=jury, asked_by=juror, text="One")
    other = Question.objects.create(jury=jury, asked_by=other_juror, text="Two")
    client.force_login(personas[who])
    assign = client.post(url("question-assign", jury, question.pk), {"witness": wren.pk})
    merge = client.post(url("question-merge", jury, question.pk), {"into": other.pk})
    assert (assign.status_code, merge.status_code) == (status, status)
    question.refresh_from_db()
    assert question.witness is None and question.state == QuestionState.OPEN


# --- Who may see -------------------------------------------------------------------------------


def test_outsiders_and_jurors_of_another_jury_see_no_questions_or_witnesses(
    client, jury, question, wren, outsider, stranger
):
    for person in (outsider, stranger):
        client.force_login(person)
        for address in (
            url("questions", jury),
            url("question", jury, question.pk),
            url("witnesses", jury),
            url("witness", jury, wren.pk),
            url("requests", jury),
            # this jury's question and witness through the other jury's address
            reverse("evidence:question", args=["another", question.pk]),
            reverse("evidence:witness", args=["another", wren.pk]),
        ):
            assert client.get(address).status_code == 404, (person, address)


# --- Witness profiles ---------------------------------------------------------------------------


def test_a_facilitator_adds_a_witness_with_their_declared_interests(
    client, jury, facilitator, witness
):
    client.force_login(facilitator)
    response = client.post(
        url("witness-create", jury),
        {
            "name": "Priya Natarajan",
            "role": "Statistician",
            "standpoint": "expert",
            "user": witness.pk,
            "who_pays": "Her university pays her; no fee from the department.",
            "public_statements": "A 2025 blog post on risk scores.",
            "other_interests": "Advises a charity.",
            "statement": "",
        },
    )
    profile = Witness.objects.get()
    assert response.url == url("witness", jury, profile.pk)
    assert (profile.jury, profile.user) == (jury, witness)
    page = page_of(client, response.url)
    for declared in ("Her university pays her", "A 2025 blog post", "Advises a charity."):
        assert declared in page
    assert "Priya Natarajan" in page_of(client, url("witnesses", jury))


@pytest.mark.parametrize(("who", "status"), [("juror", 403), ("witness", 403), ("observer", 403)])
def test_only_facilitators_add_witnesses(client, jury, personas, who, status):
    client.force_login(personas[who])
    assert client.get(url("witness-create", jury)).status_code == status
    data = {"name": "Someone", "role": "Someone", "standpoint": "expert"}
    assert client.post(url("witness-create", jury), data).status_code == status
    assert not Witness.objects.exists()


def test_a_witness_writes_their_own_statement_and_nothing_else(client, jury, witness, wren):
    client.force_login(witness)
    page = page_of(client, url("witness-edit", jury, wren.pk))
    assert 'name="statement"' in page and 'name="who_pays"' not in page
    response = client.post(
        url("witness-edit", jury, wren.pk),
        {"statement": "I looked at **how it was tested**.", "who_pays": "Nobody at all"},
    )
    assert response.url == url("witness", jury, wren.pk)
    wren.refresh_from_db()
    assert wren.statement == "I looked at **how it was tested**."
    assert wren.who_pays == "Her university; no fee for this jury."
    assert "<strong>how it was tested</strong>" in page_of(client, response.url)


def test_a_witness_cannot_change_another_witness_profile(client, jury, witness, wren, mark):
    client.force_login(witness)
    assert client.get(url("witness-edit", jury, mark.pk)).status_code == 403
    response = client.post(url("witness-edit", jury, mark.pk), {"statement": "Overwritten"})
    assert response.status_code == 403
    mark.refresh_from_db()
    assert mark.statement == ""
    assert "Change this profile" not in page_of(client, url("witness", jury, mark.pk))


def test_jurors_cannot_change_a_witness_statement(client, jury, juror, wren):
    client.force_login(juror)
    response = client.post(url("witness-edit", jury, wren.pk), {"statement": "Overwritten"})
    assert response.status_code == 403
    wren.refresh_from_db()
    assert wren.statement == ""


# --- Requests for more evidence -----------------------------------------------------------------


def test_a_juror_asks_for_another_witness_and_reads_the_facilitators_reply(
    client, jury, juror, other_juror, facilitator
):
    client.force_login(juror)
    response = client.post(
        url("requests", jury), {"kind": "witness", "text": "Someone who was checked."}
    )
    assert response.url == url("requests", jury)
    mine = EvidenceRequest.objects.get()
    assert (mine.asked_by, mine.kind, mine.state) == (juror, "witness", RequestState.OPEN)

    client.force_login(other_juror)
    client.post(url("requests", jury), {"kind": "evidence", "text": "The fairness report."})
    page = page_of(client, url("requests", jury))
    assert "The fairness report." in page
    assert "Someone who was checked." not in page

    client.force_login(facilitator)
    page = page_of(client, url("requests", jury))
    assert "Someone who was checked." in page and "The fairness report." in page
    client.post(
        url("request-respond", jury, mine.pk),
        {"state": "agreed", "response": "We have invited a claimant to speak."},
    )
    mine.refresh_from_db()
    assert mine.state == RequestState.AGREED and mine.responded_by == facilitator
    assert AuditEntry.objects.filter(action="request.respond", actor=facilitator).exists()

    client.force_login(juror)
    page = page_of(client, url("requests", jury))
    assert "We have invited a claimant to speak." in page
    assert "Agreed" in page
    client.force_login(other_juror)
    assert "We have invited a claimant to speak." not in page_of(client, url("requests", jury))


@pytest.mark.parametrize("who", ["juror", "witness", "observer", "oversight"])
def test_only_facilitators_respond_to_requests(client, jury, juror, personas, who):
    evidence_request = EvidenceRequest.objects.create(
        jury=jury, asked_by=juror, kind="evidence", text="More please."
    )
    client.force_login(personas[who])
    response = client.post(
        url("request-respond", jury, evidence_request.pk),
        {"state": "declined", "response": "No."},
    )
    assert response.status_code == 403
    evidence_request.refresh_from_db()
    assert evidence_request.state == RequestState.OPEN


@pytest.mark.parametrize("who", ["facilitator", "witness", "observer", "oversight"])
def test_only_jurors_ask_for_more_evidence(client, jury, personas, who):
    client.force_login(personas[who])
    response = client.post(url("requests", jury), {"kind": "evidence", "text": "More."})
    assert response.status_code == 403
    assert not EvidenceRequest.objects.exists()


def test_jurors_cannot_ask_for_more_evidence_once_voting_starts(client, jury, juror):
    jury.stage = Stage.DECISION
    jury.save()
    client.force_login(juror)
    response = client.post(url("requests", jury), {"kind": "evidence", "text": "More."})
    assert response.status_code == 403
    assert not EvidenceRequest.objects.exists()


def test_a_changed_answer_keeps_every_wording(client, jury, question, juror, witness):
    client.force_login(witness)
    client.post(url("question", jury, question.pk), {"answer": "Against last year's claims."})
    client.post(url("question", jury, question.pk), {"answer": "Against three years of claims."})
    assert list(question.wordings.values_list("version", "text", "by")) == [
        (1, "Against last year's claims.", witness.pk),
        (2, "Against three years of claims.", witness.pk),
    ]
    client.force_login(juror)
    page = page_of(client, url("question", jury, question.pk))
    answer, earlier = page.split("Earlier versions of this answer (1)", 1)
    assert "three years" in answer and "last year" not in answer.split('id="answer-title"')[1]
    assert "Version 1" in earlier and "last year" in earlier
