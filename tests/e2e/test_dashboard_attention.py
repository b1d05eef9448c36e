"""The facilitator's dashboard brings forward what needs attention, in a real browser: a juror
flags a post and asks a question, and the facilitator finds both at the top of the dashboard,
above everything else and on the first screen, without searching (axe-core on every page)."""

import pytest
from django.test import Client
from django.urls import reverse

from deliberate import threads as thread_service
from juries.models import Stage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUESTION = "Who checked the scores before the department chose them?"


def test_a_flag_and_a_question_come_first_on_the_dashboard(
    browse, jury, facilitator, juror, other_juror
):
    jury.stage = Stage.DELIBERATION
    jury.save(update_fields=["stage"])
    thread = thread_service.start_thread(
        jury=jury, title="Is the score fair?", body="Let us begin.", by=facilitator
    )
    post = thread_service.add_post(thread=thread, body="People who complain lie.", by=other_juror)

    as_juror = browse()
    as_juror.sign_in_as(Client(), juror)
    page = as_juror.page
    as_juror.goto(f"/juries/{jury.slug}/posts/{post.pk}/flag/")
    page.get_by_label("What is wrong").fill("This is unkind to people who complain.")
    as_juror.follow(lambda: page.get_by_role("button", name="Send to the facilitators").click())
    as_juror.goto(f"/juries/{jury.slug}/evidence/questions/")
    page.get_by_label("Your question").fill(QUESTION)
    as_juror.follow(lambda: page.get_by_role("button", name="Send my question").click())

    as_facilitator = browse(viewport={"width": 1366, "height": 768})
    as_facilitator.sign_in_as(Client(), facilitator)
    page = as_facilitator.page
    as_facilitator.goto(reverse("juries:dashboard", args=[jury.slug]))

    attention = page.locator("#attention")
    flags = attention.locator("#attention-flags")
    questions = attention.locator("#attention-questions")
    assert "1 post was flagged by a juror" in flags.inner_text()
    assert "1 question from jurors is waiting" in questions.inner_text()
    # The attention section is the first section of the page, and both are on the first screen.
    first_section = page.locator("main section").first
    assert first_section.get_attribute("id") == "attention"
    stage = page.locator("#stage-title").bounding_box()
    for item in (flags, questions):
        box = item.bounding_box()
        assert box["y"] + box["height"] <= min(stage["y"], 768)
    as_facilitator.follow(lambda: flags.get_by_role("link").click())
    assert page.get_by_role("link", name="Kim in “Is the score fair?”").is_visible()
