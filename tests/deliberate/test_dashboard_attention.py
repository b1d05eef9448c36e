"""The facilitators' dashboard opens with what needs action now: flagged posts, questions waiting
for a witness, quiet jurors, invitations without a reply and a next sitting without an agenda."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deliberate import threads as thread_service
from evidence.models import Question
from juries.models import Invitation, Membership, Role, Sitting
from tests.conftest import make_user


def _attention(html):
    """The "Needs your attention" section's HTML."""
    return re.search(r'<section[^>]*id="attention".*?</section>', html, re.S).group(0)


def _dashboard(client, jury):
    return client.get(reverse("juries:dashboard", args=[jury.slug])).content.decode()


def test_a_flagged_post_and_a_waiting_question_come_first(
    client, thread, facilitator, juror, other_juror
):
    post = thread_service.add_post(thread=thread, body="Scores are fine.", by=juror)
    thread_service.flag_post(post=post, by=other_juror, reason="Rude to Kim")
    Question.objects.create(jury=thread.jury, asked_by=juror, text="Who audits the model?")
    client.force_login(facilitator)

    html = _dashboard(client, thread.jury)

    section = _attention(html)
    assert "1 post was flagged by a juror" in section
    assert reverse("deliberate:moderation", args=[thread.jury.slug]) in section
    assert "1 question from jurors is waiting for a witness" in section
    assert "past its date" not in section
    assert html.index('id="attention"') < html.index('id="stage-title"')


def test_a_question_waiting_more_than_a_week_is_marked_past_its_date(client, jury, facilitator):
    old = Question.objects.create(jury=jury, text="Who audits the model?")
    Question.objects.create(jury=jury, text="How often is it retrained?")
    Question.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    client.force_login(facilitator)

    section = _attention(_dashboard(client, jury))

    assert "2 questions from jurors are waiting" in section
    assert "1 has waited more than 7 days: past its date." in section


def test_quiet_jurors_old_invitations_and_a_sitting_without_agenda_are_listed(
    client, thread, facilitator, juror, other_juror
):
    jury = thread.jury
    thread_service.add_post(thread=thread, body="I have read it all.", by=juror)
    old = Invitation.objects.create(jury=jury, email="sam@example.org", invited_by=facilitator)
    Invitation.objects.create(jury=jury, email="new@example.org", invited_by=facilitator)
    Invitation.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    Sitting.objects.create(
        jury=jury,
        title="Second plenary",
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=2),
    )
    client.force_login(facilitator)

    section = _attention(_dashboard(client, jury))

    assert "1 juror has not posted or spoken yet" in section  # Kim; Jo posted
    assert "1 invitation has had no reply for more than a week" in section
    assert "The next sitting, “Second plenary”, has no agenda yet." in section


def test_when_nothing_needs_attention_the_dashboard_says_so(client, jury, facilitator):
    client.force_login(facilitator)
    section = _attention(_dashboard(client, jury))
    assert "Nothing needs your attention right now" in section


def test_the_move_on_stands_out_only_once_nothing_is_left(client, thread, facilitator, juror):
    post = thread_service.add_post(thread=thread, body="Scores are fine.", by=juror)
    other = make_user("kim@example.org", "Kim")
    Membership.objects.create(jury=thread.jury, user=other, role=Role.JUROR)
    thread_service.flag_post(post=post, by=other, reason="Off topic")
    thread_service.add_post(thread=thread, body="Sorry.", by=other)
    client.force_login(facilitator)
    button = re.compile(r'<button type="submit" name="to_stage" value="drafting"([^>]*)>')

    open_work = button.search(_dashboard(client, thread.jury)).group(1)
    thread_service.dismiss_flags(post=post, by=facilitator)
    done = button.search(_dashboard(client, thread.jury)).group(1)

    assert "button--secondary" in open_work
    assert "button--secondary" not in done


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_work(jury, thread, facilitator, start, size):
    for n in range(start, start + size):
        user = make_user(f"juror{n}@example.org", f"Juror {n}")
        Membership.objects.create(jury=jury, user=user, role=Role.JUROR)
        post = thread_service.add_post(thread=thread, body=f"Point {n}", by=user)
        thread_service.flag_post(post=post, by=facilitator, reason="Check")
        Question.objects.create(jury=jury, asked_by=user, text=f"Question {n}")
        Invitation.objects.create(
            jury=jury, email=f"invitee{n}@example.org", invited_by=facilitator
        )
    jury.invitations.update(created_at=timezone.now() - timedelta(days=8))
    jury.questions.update(created_at=timezone.now() - timedelta(days=8))


def test_the_attention_section_costs_the_same_queries_for_few_or_many_items(
    client, thread, facilitator
):
    jury = thread.jury
    url = reverse("juries:dashboard", args=[jury.slug])
    client.force_login(facilitator)
    _more_work(jury, thread, facilitator, 0, 2)
    client.get(url)  # the first request of a session does its own bookkeeping
    few = _queries(client, url)
    _more_work(jury, thread, facilitator, 2, 20)
    many = _queries(client, url)
    assert "22 posts were flagged" in _attention(_dashboard(client, jury))
    assert many == few
