"""A question from reading to answer, in real browsers, by keyboard alone, with axe-core on every
page.

A juror reads an item, asks the witness a question about it; another juror supports it; the
witness answers; the first juror finds the answer beside the evidence.
"""

import pytest
from django.test import Client

from evidence.demo import seed_evidence
from evidence.models import Question, QuestionState, Reading, Witness
from juries.models import Stage

from .conftest import last_mail_to, tab_to, type_into

pytestmark = pytest.mark.e2e

PACK = "How the score works"
ITEM = "The department's proposal"
QUESTION = "Who checked the test results before the department chose this model?"
ANSWER = "An independent team at the university checked them in 2025."


def juror_reads_an_item(browsing, jury):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/evidence/")
    tab_to(page, page.get_by_role("link", name=PACK))
    browsing.press("Enter")
    item_card = page.locator(".card", has_text=ITEM)
    assert item_card.get_by_text("New", exact=True).is_visible()
    tab_to(page, page.get_by_role("link", name=ITEM))
    browsing.press("Enter")
    assert page.get_by_role("heading", name="In short").is_visible()
    tab_to(page, page.get_by_role("link", name=f"Back to “{PACK}”"))
    browsing.press("Enter")
    assert item_card.get_by_text("Read", exact=True).is_visible()
    tab_to(page, page.get_by_role("link", name="All evidence"))
    browsing.press("Enter")
    pack_card = page.locator(".card", has_text=PACK)
    assert pack_card.get_by_text("you have read 1 of").is_visible()


def juror_asks_the_witness_about_the_item(browsing, item, profile):
    page = browsing.page
    tab_to(page, page.get_by_role("link", name=PACK))
    browsing.press("Enter")
    tab_to(page, page.get_by_role("link", name=ITEM))
    browsing.press("Enter")
    tab_to(page, page.get_by_role("link", name="Ask a question about this item"))
    browsing.press("Enter")
    assert page.locator("select[name=item]").input_value() == str(item.pk)

    type_into(page, page.locator("textarea[name=text]"), QUESTION)
    to = page.locator("select[name=witness]")
    tab_to(page, to)
    page.keyboard.press("ArrowDown")  # from "Whoever can answer" to the only witness
    assert to.input_value() == str(profile.pk)
    tab_to(page, page.get_by_role("button", name="Send my question"))
    browsing.press("Enter")
    assert page.get_by_text("Your question has been sent.").is_visible()
    assert page.get_by_text(f"to {profile.name}").is_visible()


def other_juror_supports_the_question(browsing, jury):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/evidence/questions/")
    card = page.locator("article.question", has_text=QUESTION)
    tab_to(page, card.get_by_role("button", name="I want to know this too"))
    browsing.press("Space")
    assert page.get_by_text("You support this question.").is_visible()
    assert card.get_by_text("1 juror supports it").is_visible()


def witness_answers(browsing, jury):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/evidence/questions/")
    tab_to(page, page.get_by_role("link", name=QUESTION))
    browsing.press("Enter")
    type_into(page, page.locator("textarea[name=answer]"), ANSWER)
    tab_to(page, page.get_by_role("button", name="Publish my answer"))
    browsing.press("Enter")
    assert page.get_by_role("heading", name="Answer", exact=True).is_visible()
    assert page.get_by_text(ANSWER).is_visible()


def signed_in(browse, user):
    """A new browser context signed in as `user`. Each gets its own test client: logging a second
    person in through the same client would flush the first one's session and sign them out."""
    browsing = browse()
    browsing.sign_in_as(Client(), user)
    return browsing


def test_a_juror_asks_about_an_item_another_supports_it_and_the_witness_answers(
    browse, jury, facilitator, juror, other_juror, witness
):
    jury.stage = Stage.LEARNING
    jury.save()
    seed_evidence(jury, facilitator)
    item = jury.evidence_packs.get(title=PACK).items.get(title=ITEM)
    profile = Witness.objects.create(
        jury=jury,
        user=witness,
        name="Dr Wren Hale",
        role="Statistician at a university",
        standpoint="expert",
        who_pays="Her university.",
    )

    asking = signed_in(browse, juror)
    juror_reads_an_item(asking, jury)
    assert Reading.objects.filter(user=juror, item=item).exists()
    juror_asks_the_witness_about_the_item(asking, item, profile)
    question = Question.objects.get()
    assert (question.asked_by, question.witness, question.item) == (juror, profile, item)

    supporting = signed_in(browse, other_juror)
    other_juror_supports_the_question(supporting, jury)
    assert question.supports.get().user == other_juror

    answering = signed_in(browse, witness)
    witness_answers(answering, jury)
    question.refresh_from_db()
    assert question.state == QuestionState.ANSWERED
    assert QUESTION in last_mail_to(juror.email).body
    assert QUESTION in last_mail_to(other_juror.email).body

    page = asking.page
    tab_to(page, page.get_by_role("link", name=ITEM))
    asking.press("Enter")
    beside = page.locator(
        "section", has=page.get_by_role("heading", name="Questions about this item")
    )
    assert beside.get_by_text(QUESTION).is_visible()
    assert beside.get_by_text(ANSWER).is_visible()
