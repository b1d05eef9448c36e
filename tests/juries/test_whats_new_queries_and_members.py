"""What's new takes a fixed number of queries however many notifications a person has (one
query per kind of object they are about, never one per line), and it only shows and counts news
about juries the person is still a member of."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deliberate.models import NotificationChoice
from evaluation.models import Questionnaire
from evidence.models import EvidencePack, Question
from juries import members, notifications
from juries.models import EmailChoice, Membership, Notification, Sitting, Stage, StageChange
from voting.models import Vote, VoteState


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _sitting(jury, n, cancelled=False):
    start = timezone.now() + datetime.timedelta(days=n + 1)
    return Sitting.with_cancelled.create(
        jury=jury,
        title=f"Sitting {n}",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        cancelled_at=timezone.now() if cancelled else None,
    )


def _stage_change(jury, n):
    return StageChange.objects.create(jury=jury, from_stage=Stage.SETUP, to_stage=Stage.LEARNING)


def _pack(jury, n):
    return EvidencePack.objects.create(jury=jury, title=f"Pack {n}", published_at=timezone.now())


def _question(jury, n):
    return Question.objects.create(jury=jury, text=f"Question {n}?")


def _vote(jury, n):
    # One unfinished vote per jury: the earlier rounds are closed.
    Vote.objects.filter(jury=jury).update(state=VoteState.CLOSED)
    return Vote.objects.create(jury=jury)


def _questionnaire(jury, n):
    # After a sitting: its title reads the sitting's, a cancelled one included.
    return Questionnaire.objects.create(
        jury=jury, kind="sitting", sitting=_sitting(jury, 1000 + n, cancelled=n % 2 == 0)
    )


KINDS = [
    ("sitting.scheduled", _sitting),
    ("sitting.cancelled", lambda jury, n: _sitting(jury, n, cancelled=True)),
    ("stage.changed", _stage_change),
    ("pack.published", _pack),
    ("question.put", _question),
    ("vote.opened", _vote),
    ("questionnaire.opened", _questionnaire),
]


def tell(jury, user, kinds, start=0):
    membership = Membership.objects.select_related("user").get(jury=jury, user=user)
    for n, (kind, make) in enumerate(kinds, start=start):
        notifications.notify(
            jury=jury,
            recipients=[membership],
            kind=kind,
            target=make(jury, n),
            needs_action=False,
            email=False,
        )


def test_whats_new_takes_the_same_queries_with_one_and_twenty_of_one_kind(client, jury, juror):
    client.force_login(juror)
    url = reverse("juries:whats-new")
    counts = {}
    for kind, make in KINDS:
        Notification.objects.all().delete()
        tell(jury, juror, [(kind, make)])
        client.get(url)  # the first request of a session does its own bookkeeping
        one, _page = queries_for(client, url)
        tell(jury, juror, [(kind, make)] * 19, start=100)
        twenty, page = queries_for(client, url)
        assert Notification.objects.filter(user=juror).count() == 20
        assert page.count('class="whats-new__item') == 20
        counts[kind] = (one, twenty)
    assert all(one == twenty for one, twenty in counts.values()), counts


def test_whats_new_takes_the_same_queries_with_a_few_and_many_of_mixed_kinds(client, jury, juror):
    """One query per kind of object present, whatever the number of lines: one of each kind,
    then twenty-eight of mixed kinds, take the same number."""
    client.force_login(juror)
    url = reverse("juries:whats-new")
    tell(jury, juror, KINDS)
    client.get(url)
    few, _page = queries_for(client, url)
    tell(jury, juror, list(itertools.islice(itertools.cycle(KINDS), 21)), start=100)
    many, page = queries_for(client, url)
    assert Notification.objects.filter(user=juror).count() == 28
    assert page.count('class="whats-new__item') == 28
    assert "A sitting has been cancelled: “Sitting 1”" in page
    assert "After the sitting “Sitting 1006”" in page
    assert many == few


def test_the_summary_describes_many_lines_in_a_fixed_number_of_queries(
    jury, juror, django_assert_num_queries
):
    tell(jury, juror, list(itertools.islice(itertools.cycle(KINDS), 28)))
    Notification.objects.update(for_summary=True)
    since = timezone.now() - datetime.timedelta(days=1)
    until = timezone.now() + datetime.timedelta(minutes=1)
    # The notifications with their juries (joined), then one query per kind of object: sittings,
    # stage changes, packs, questions, votes and questionnaires (each with what it reads).
    with django_assert_num_queries(1 + 6):
        items = notifications.summary_for(juror, since, until)
    assert len(items) == 28


# --- only juries the person is still a member of -----------------------------------------


@pytest.fixture
def told(jury, juror, facilitator):
    tell(jury, juror, [("pack.published", _pack)])
    return EvidencePack.objects.get(jury=jury)


def test_removing_a_member_takes_the_jurys_news_off_their_whats_new(
    client, jury, juror, facilitator, told
):
    client.force_login(juror)
    assert notifications.unread_count(juror) == 1
    assert told.title in client.get(reverse("juries:whats-new")).content.decode()

    members.remove_member(membership=Membership.objects.get(jury=jury, user=juror), by=facilitator)

    assert not Notification.objects.filter(user=juror, jury=jury).exists()
    assert notifications.unread_count(juror) == 0
    assert notifications.for_page(juror) == []
    page = client.get(reverse("juries:whats-new")).content.decode()
    assert told.title not in page
    assert jury.title not in page


def test_removing_one_member_keeps_the_others_news(jury, juror, other_juror, facilitator):
    tell(jury, juror, [("pack.published", _pack)])
    tell(jury, other_juror, [("pack.published", _pack)], start=1)

    members.remove_member(membership=Membership.objects.get(jury=jury, user=juror), by=facilitator)

    assert Notification.objects.filter(user=other_juror, jury=jury).count() == 1
    assert notifications.unread_count(other_juror) == 1


def test_news_left_behind_about_a_jury_they_left_is_not_shown_or_counted(client, jury, juror, told):
    """The second guard: even if a row were left behind (the membership went some other way),
    it is neither listed, counted nor summarised."""
    Notification.objects.update(for_summary=True)
    Membership.objects.filter(jury=jury, user=juror).delete()
    assert Notification.objects.filter(user=juror, jury=jury).exists()

    client.force_login(juror)
    page = client.get(reverse("juries:whats-new")).content.decode()
    assert told.title not in page
    assert notifications.unread_count(juror) == 0
    assert notifications.for_page(juror) == []
    since = timezone.now() - datetime.timedelta(days=1)
    assert notifications.summary_for(juror, since, timezone.now()) == []


def _summary_queries(mailoutbox):
    from deliberate.digests import send_digests

    Notification.objects.update(
        for_summary=True, created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    NotificationChoice.objects.all().delete()
    mailoutbox.clear()
    with CaptureQueriesContext(connection) as captured:
        send_digests.enqueue()
    return len(captured)


def test_the_daily_summary_email_takes_the_same_queries_with_a_few_and_many_lines(
    jury, juror, mailoutbox
):
    Membership.objects.filter(user=juror).update(emails=EmailChoice.SUMMARY)
    tell(jury, juror, KINDS)
    few = _summary_queries(mailoutbox)
    tell(jury, juror, list(itertools.islice(itertools.cycle(KINDS), 13)), start=100)
    many = _summary_queries(mailoutbox)
    (summary,) = [m for m in mailoutbox if m.to == [juror.email]]
    assert summary.body.count("\n- ") == 20
    assert "A sitting has been cancelled: “Sitting 1”" in summary.body
    assert many == few
