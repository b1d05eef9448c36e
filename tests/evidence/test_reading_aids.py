"""The glossary marked in evidence, search across evidence, answers and glossary, and public items."""

import pytest
from django.urls import reverse

from evidence.demo import seed_evidence
from evidence.glossary import mark_terms
from evidence.models import EvidenceItem, GlossaryTerm, ItemVisibility, Question, QuestionState


@pytest.fixture
def demo_evidence(jury, facilitator):
    seed_evidence(jury, facilitator)
    return jury


def test_a_glossary_term_in_evidence_links_to_its_definition_on_the_page(
    client, demo_evidence, juror
):
    item = EvidenceItem.objects.get(title="The department's proposal")
    client.force_login(juror)
    page = client.get(reverse("evidence:item", args=[demo_evidence.slug, item.pk])).content.decode()
    assert (
        '<a class="glossary-term" href="#term-score" aria-describedby="term-score">score</a>'
        in page
    )
    assert 'id="term-score"' in page
    assert "A number from 0 to 100" in page


def test_only_the_first_use_is_marked_and_never_inside_a_link_or_tag():
    terms = [GlossaryTerm(term="score", definition="x")]
    html, used = mark_terms('<p>The score <a href="/score">score</a> and score again</p>', terms)
    assert html.count("glossary-term") == 1
    assert 'href="/score">score</a>' in html
    assert used == terms


def test_facilitators_add_glossary_words_and_duplicates_are_refused(
    client, jury, facilitator, juror
):
    client.force_login(facilitator)
    url = reverse("evidence:glossary", args=[jury.slug])
    client.post(url, {"term": "DPIA", "definition": "A data protection impact assessment."})
    again = client.post(url, {"term": "dpia", "definition": "Again"})
    assert "already in the glossary" in again.content.decode()
    assert GlossaryTerm.objects.count() == 1
    client.force_login(juror)
    assert client.post(url, {"term": "x", "definition": "y"}).status_code == 403
    assert "A data protection impact assessment." in client.get(url).content.decode()


def test_search_finds_evidence_answers_and_glossary_words(client, demo_evidence, juror):
    Question.objects.create(
        jury=demo_evidence,
        text="Who checks the checkers?",
        answer="An independent auditor reviews checks.",
        state=QuestionState.ANSWERED,
    )
    client.force_login(juror)
    url = reverse("evidence:search", args=[demo_evidence.slug])
    page = client.get(url, {"q": "caseworker"}).content.decode()
    assert "The department&#x27;s proposal" in page or "The department's proposal" in page
    assert "A member of the department" in page
    assert "An independent auditor" in client.get(url, {"q": "auditor"}).content.decode()
    assert "Nothing matches" in client.get(url, {"q": "zebra crossing"}).content.decode()


def test_search_is_for_members_only(client, demo_evidence, outsider):
    client.force_login(outsider)
    assert (
        client.get(
            reverse("evidence:search", args=[demo_evidence.slug]), {"q": "score"}
        ).status_code
        == 404
    )


def test_the_public_reads_public_items_of_a_public_jury_only(client, demo_evidence):
    item = EvidenceItem.objects.get(title="The department's proposal")
    url = reverse("evidence:public-item", args=[demo_evidence.slug, item.pk])
    assert client.get(url).status_code == 404  # the jury is not public yet
    demo_evidence.visibility = "public"
    demo_evidence.save()
    assert client.get(url).status_code == 200
    assert (
        item.title.replace("'", "&#x27;")
        in client.get(
            reverse("evidence:public-evidence", args=[demo_evidence.slug])
        ).content.decode()
    )
    EvidenceItem.objects.filter(pk=item.pk).update(visibility=ItemVisibility.MEMBERS)
    assert client.get(url).status_code == 404


def test_an_answered_question_can_no_longer_be_supported(client, jury, juror, other_juror):
    from evidence.models import Support

    jury.stage = "learning"
    jury.save()
    question = Question.objects.create(
        jury=jury,
        asked_by=other_juror,
        text="Why?",
        answer="Because.",
        state=QuestionState.ANSWERED,
    )
    client.force_login(juror)
    response = client.post(
        reverse("evidence:question-support", args=[jury.slug, question.pk]), follow=True
    )
    assert "no longer waiting for an answer" in response.content.decode()
    assert not Support.objects.exists()
