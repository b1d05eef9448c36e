"""Notifications that match the journey: each member's choice of email per jury, the "What's
new" page, the news of the journey's steps, reminders queued exactly once in each person's time
zone, and the daily summary (acceptance check 2 of issue 15)."""

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from deliberate import threads as thread_service
from deliberate.digests import send_digests
from evidence import packs as pack_service
from evidence import questions as question_service
from evidence.models import EvidencePack, Question, Standpoint, Witness
from juries import notifications, stages
from juries.models import (
    EmailChoice,
    Membership,
    Notification,
    ReminderQueued,
    Role,
    Sitting,
    Stage,
)
from tests.conftest import make_user
from voting import decisions
from voting.models import Recommendation, Revision

UTC = datetime.UTC


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def choose(user, jury, choice):
    Membership.objects.filter(user=user, jury=jury).update(emails=choice)


def to(mailoutbox, user):
    return [m for m in mailoutbox if m.to == [user.email]]


def age_news(minutes=5):
    """News from a few minutes ago, so the daily summary (which leaves the last minute for the
    next one) includes it."""
    for n in Notification.objects.all():
        Notification.objects.filter(pk=n.pk).update(
            created_at=n.created_at - datetime.timedelta(minutes=minutes)
        )


def recommendation(jury):
    rec = Recommendation.objects.create(
        jury=jury,
        number=1,
        statement="Publish the error rates every year.",
        rationale="People flagged wrongly have a right to know.",
        addressed_to="Department for Benefits",
        revision_count=1,
    )
    Revision.objects.create(
        recommendation=rec,
        number=1,
        statement=rec.statement,
        rationale=rec.rationale,
        addressed_to=rec.addressed_to,
    )
    return rec


def open_vote(jury, facilitator, closes_at=None):
    jury.stage = Stage.DECISION
    jury.save(update_fields=["stage"])
    recommendation(jury)
    vote = decisions.prepare_vote(jury, facilitator)
    return decisions.open_vote(vote, facilitator, closes_at=closes_at)


# --- the choice of email, per jury ----------------------------------------------------------


def test_everything_is_the_choice_until_a_member_makes_another(jury, juror):
    assert Membership.objects.get(user=juror).emails == EmailChoice.EVERYTHING


def test_a_member_chooses_only_what_needs_them_and_is_told_what_that_means(client, jury, juror):
    client.force_login(juror)
    url = reverse("juries:email-choice", args=[jury.slug])
    page = client.get(url).content.decode()
    assert "Only what needs me" in page and "<legend>" in page

    response = client.post(url, {"emails": "needed"}, follow=True)

    assert Membership.objects.get(user=juror).emails == EmailChoice.NEEDED
    assert "You will only get emails about things you need to do" in response.content.decode()


def test_an_unknown_choice_is_refused_and_the_choice_kept(client, jury, juror):
    client.force_login(juror)
    response = client.post(reverse("juries:email-choice", args=[jury.slug]), {"emails": "loud"})
    assert response.status_code == 200
    assert "error" in response.content.decode()
    assert Membership.objects.get(user=juror).emails == EmailChoice.EVERYTHING


def test_the_jury_home_links_to_the_choice(client, jury, juror):
    client.force_login(juror)
    page = client.get(reverse("juries:home", args=[jury.slug])).content.decode()
    assert reverse("juries:email-choice", args=[jury.slug]) in page


def test_someone_outside_the_jury_cannot_see_or_change_its_email_choice(client, jury, outsider):
    client.force_login(outsider)
    url = reverse("juries:email-choice", args=[jury.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, {"emails": "needed"}).status_code == 404


def test_signed_out_people_are_sent_to_sign_in_for_the_choice_and_whats_new(client, jury):
    for url in (reverse("juries:email-choice", args=[jury.slug]), reverse("juries:whats-new")):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url


# --- What's new -----------------------------------------------------------------------------


def test_whats_new_says_when_there_is_nothing_yet(client, juror):
    client.force_login(juror)
    page = client.get(reverse("juries:whats-new")).content.decode()
    assert "Nothing new yet" in page


def test_whats_new_lists_news_newest_first_marks_unread_and_marks_all_read(
    client, jury, facilitator, juror, other_juror
):
    pack = EvidencePack.objects.create(jury=jury, title="How the scores are made")
    pack_service.set_published(pack=pack, published=True, by=facilitator)
    open_vote(jury, facilitator)
    client.force_login(juror)

    page = client.get(reverse("juries:whats-new")).content.decode()

    assert page.index("Voting is open") < page.index("How the scores are made")
    assert "2 unread" in page
    assert "New" in page
    # The header counts it in words for screen readers.
    assert "(2 unread)" in page

    client.post(reverse("juries:whats-new-read"))
    page = client.get(reverse("juries:whats-new")).content.decode()
    assert "0 unread" in page and "Mark all as read" not in page
    assert Notification.objects.filter(user=other_juror, read_at__isnull=True).count() == 2


def test_a_person_sees_only_their_own_news_and_marks_only_their_own_read(
    client, jury, facilitator, juror, witness
):
    w = Witness.objects.create(
        jury=jury, user=witness, name="Wren", role="Statistician", standpoint=Standpoint.EXPERT
    )
    question = Question.objects.create(jury=jury, asked_by=juror, text="Who checks the model?")
    question_service.assign(question=question, witness=w, by=facilitator)
    client.force_login(juror)

    page = client.get(reverse("juries:whats-new")).content.decode()
    assert "Who checks the model?" not in page

    client.post(reverse("juries:whats-new-read"))
    assert Notification.objects.get(user=witness).read_at is None


# --- the journey's news -----------------------------------------------------------------------


def test_a_question_put_to_a_witness_tells_them_with_a_date_to_answer_by(
    jury, facilitator, juror, witness, mailoutbox
):
    w = Witness.objects.create(
        jury=jury, user=witness, name="Wren", role="Statistician", standpoint=Standpoint.EXPERT
    )
    question = Question.objects.create(jury=jury, asked_by=juror, text="Who checks the model?")

    question_service.assign(question=question, witness=w, by=facilitator)

    question.refresh_from_db()
    assert question.answer_by is not None
    (email,) = mailoutbox
    assert email.to == [witness.email]
    assert "Who checks the model?" in email.body
    assert "Please answer by" in email.body
    assert question.get_absolute_url() in email.body


def test_a_published_pack_tells_jurors_witnesses_and_observers_once(
    jury, facilitator, juror, witness, observer, oversight, mailoutbox
):
    pack = EvidencePack.objects.create(jury=jury, title="How the scores are made")
    pack_service.set_published(pack=pack, published=True, by=facilitator)
    pack_service.set_published(pack=pack, published=True, by=facilitator)

    told = sorted(m.to[0] for m in mailoutbox)
    assert told == sorted([juror.email, witness.email, observer.email])
    assert "How the scores are made" in mailoutbox[0].subject


def test_moving_the_jury_on_tells_every_member(jury, facilitator, juror, observer, mailoutbox):
    stages.change_stage(jury=jury, to_stage=Stage.SELECTION, by=facilitator)
    told = sorted(m.to[0] for m in mailoutbox)
    assert told == sorted([facilitator.email, juror.email, observer.email])
    assert "Selection" in mailoutbox[0].subject


# --- acceptance check 2: only what needs me -------------------------------------------------


def test_only_what_needs_me_gets_the_vote_and_sign_off_emails_and_no_digest(
    jury, facilitator, juror, other_juror, mailoutbox
):
    choose(juror, jury, EmailChoice.NEEDED)
    choose(other_juror, jury, EmailChoice.SUMMARY)
    pack = EvidencePack.objects.create(jury=jury, title="How the scores are made")
    pack_service.set_published(pack=pack, published=True, by=facilitator)
    thread = thread_service.start_thread(
        jury=jury, title="Who checks?", body="Let us begin.", by=facilitator
    )

    vote = open_vote(jury, facilitator)
    decisions.close_vote(vote, facilitator)
    stages.change_stage(jury=jury, to_stage=Stage.REPORT, by=facilitator)

    mine = to(mailoutbox, juror)
    assert [m.subject for m in mine] == [
        f"Voting is open: {jury.title}",
        f"Please sign off the final wording ({jury.title})",
    ]
    # The summary person got neither at once: both wait for their summary.
    assert not [m for m in to(mailoutbox, other_juror) if "Voting is open" in m.subject]

    age_news()
    thread_service.add_post(thread=thread, body="A post for the summary.", by=facilitator)
    from deliberate.models import Post

    for post in Post.objects.all():
        Post.objects.filter(pk=post.pk).update(
            created_at=post.created_at - datetime.timedelta(minutes=5)
        )
    mailoutbox.clear()
    send_digests.enqueue()

    assert to(mailoutbox, juror) == []
    (summary,) = to(mailoutbox, other_juror)
    assert "Voting is open" in summary.body
    assert "How the scores are made" in summary.body
    assert "Please sign off" in summary.body
    assert "A post for the summary." in summary.body


def test_everything_people_get_no_summary_of_news_already_emailed(
    jury, facilitator, juror, mailoutbox
):
    open_vote(jury, facilitator)
    assert len(to(mailoutbox, juror)) == 1
    age_news()
    mailoutbox.clear()
    send_digests.enqueue()
    assert to(mailoutbox, juror) == []


def test_the_queued_news_emails_hold_ids_only(jury, facilitator, juror, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    vote = open_vote(jury, facilitator)

    (row,) = DBTaskResult.objects.all()
    kwargs = row.args_kwargs["kwargs"]
    assert kwargs["template"] == "voting/email/vote_open"
    assert kwargs["to"][0] == "juries.membership"
    assert kwargs["context"]["vote"] == {"model": "voting.vote", "pk": vote.pk}
    text = str(row.args_kwargs)
    assert "@example" not in text
    assert "Publish the error rates" not in text


# --- reminders --------------------------------------------------------------------------------


@pytest.fixture
def london_and_auckland(jury):
    london = make_user("lon@example.org", "Lon")
    london.timezone = "Europe/London"
    london.save()
    auckland = make_user("akl@example.org", "Akl")
    auckland.timezone = "Pacific/Auckland"
    auckland.save()
    for person in (london, auckland):
        Membership.objects.create(jury=jury, user=person, role=Role.JUROR)
    return london, auckland


@pytest.fixture
def sitting(jury):
    # 20:00 in London on 10 January is 09:00 on 11 January in Auckland.
    return Sitting.objects.create(
        jury=jury,
        title="Meeting the witnesses",
        starts_at=at(2027, 1, 10, 20, 0),
        ends_at=at(2027, 1, 10, 21, 30),
    )


def test_the_day_before_a_sitting_is_worked_out_in_each_persons_time_zone(
    london_and_auckland, sitting, mailoutbox
):
    london, auckland = london_and_auckland

    # 10:00 on 9 January in London; already 23:00 on 9 January in Auckland, but the sitting is
    # on 11 January there, so it is not yet their day before.
    notifications.queue_due_reminders(at(2027, 1, 9, 10, 0))
    assert [m.to for m in mailoutbox] == [[london.email]]
    assert mailoutbox[0].subject == "Tomorrow: Meeting the witnesses"
    assert "20:00 to 21:30" in mailoutbox[0].body

    # 10:00 on 10 January in Auckland: their day before.
    notifications.queue_due_reminders(at(2027, 1, 9, 21, 0))
    assert [m.to for m in mailoutbox[1:]] == [[auckland.email]]
    assert "09:00 to 10:30" in mailoutbox[1].body
    assert "Pacific/Auckland" in mailoutbox[1].body


def test_no_day_before_reminder_before_nine_in_the_morning_local_time(
    london_and_auckland, sitting, mailoutbox
):
    notifications.queue_due_reminders(at(2027, 1, 9, 8, 30))  # 08:30 in London
    assert mailoutbox == []


def test_sitting_reminders_are_queued_exactly_once_per_person_after_two_runs(
    london_and_auckland, sitting, mailoutbox
):
    london, auckland = london_and_auckland
    day_before = at(2027, 1, 9, 21, 0)  # the day before for both
    assert notifications.queue_due_reminders(day_before) == 2
    assert notifications.queue_due_reminders(day_before) == 0
    hour_before = at(2027, 1, 10, 19, 15)
    assert notifications.queue_due_reminders(hour_before) == 2
    assert notifications.queue_due_reminders(hour_before + datetime.timedelta(minutes=5)) == 0

    for person in (london, auckland):
        subjects = [m.subject for m in to(mailoutbox, person)]
        assert subjects == [
            "Tomorrow: Meeting the witnesses",
            "Starting within the hour: Meeting the witnesses",
        ]
    assert ReminderQueued.objects.count() == 4


def test_the_send_reminders_command_twice_queues_nothing_new(london_and_auckland, jury, mailoutbox):
    from django.utils import timezone

    Sitting.objects.create(
        jury=jury,
        title="Soon",
        starts_at=timezone.now() + datetime.timedelta(minutes=30),
        ends_at=timezone.now() + datetime.timedelta(minutes=90),
    )
    call_command("send_reminders")
    first = len(mailoutbox)
    call_command("send_reminders")
    assert first == 2 and len(mailoutbox) == first


def test_reminders_go_to_only_what_needs_me_and_summary_people_too(
    london_and_auckland, jury, sitting, mailoutbox
):
    london, auckland = london_and_auckland
    choose(london, jury, EmailChoice.NEEDED)
    choose(auckland, jury, EmailChoice.SUMMARY)
    notifications.queue_due_reminders(at(2027, 1, 10, 19, 30))
    assert sorted(m.to[0] for m in mailoutbox) == sorted([london.email, auckland.email])


def test_a_sitting_that_already_started_gets_no_reminder(london_and_auckland, sitting, mailoutbox):
    notifications.queue_due_reminders(at(2027, 1, 10, 20, 5))
    assert mailoutbox == []


def test_a_witness_is_reminded_the_day_before_the_answer_by_date_only_while_it_waits(
    jury, facilitator, juror, witness, mailoutbox
):
    witness.timezone = "Pacific/Auckland"
    witness.save()
    w = Witness.objects.create(
        jury=jury, user=witness, name="Wren", role="Statistician", standpoint=Standpoint.EXPERT
    )
    waiting = Question.objects.create(jury=jury, asked_by=juror, text="Who checks the model?")
    answered = Question.objects.create(jury=jury, asked_by=juror, text="How often?")
    for question in (waiting, answered):
        question_service.assign(
            question=question, witness=w, by=facilitator, answer_by=datetime.date(2027, 3, 10)
        )
    question_service.answer(question=answered, text="Yearly.", by=witness)
    mailoutbox.clear()

    # 08:00 on 9 March in Auckland (19:00 UTC on 8 March): too early.
    notifications.queue_due_reminders(at(2027, 3, 8, 19, 0))
    assert mailoutbox == []
    # 10:00 on 9 March in Auckland.
    notifications.queue_due_reminders(at(2027, 3, 8, 21, 0))
    notifications.queue_due_reminders(at(2027, 3, 8, 22, 0))
    (email,) = mailoutbox
    assert email.to == [witness.email]
    assert "Who checks the model?" in email.body and "How often?" not in email.body


def test_the_vote_closing_reminder_goes_once_to_jurors_who_have_not_voted(
    jury, facilitator, juror, other_juror, mailoutbox
):
    closes = at(2031, 5, 20, 17, 0)
    vote = open_vote(jury, facilitator, closes_at=closes)
    rec = Recommendation.objects.get(jury=jury)
    decisions.cast_ballot(vote, rec, juror, "support")
    mailoutbox.clear()

    notifications.queue_due_reminders(at(2031, 5, 19, 7, 0))  # 08:00 in London: too early
    assert mailoutbox == []
    notifications.queue_due_reminders(at(2031, 5, 19, 12, 0))
    notifications.queue_due_reminders(at(2031, 5, 19, 13, 0))

    (email,) = mailoutbox
    assert email.to == [other_juror.email]
    assert "the vote closes soon" in email.subject
    assert "You have not voted yet." in email.body


def test_the_facilitator_gives_the_closing_time_when_opening_and_jurors_see_it(
    client, jury, facilitator, juror
):
    from tests.conftest import sign_in_recently

    jury.stage = Stage.DECISION
    jury.save(update_fields=["stage"])
    recommendation(jury)
    sign_in_recently(client, facilitator)
    url = reverse("voting:vote-open", args=[jury.slug])
    page = client.get(url).content.decode()
    assert 'name="closes_at"' in page

    client.post(url, {"closes_at": "2031-05-20T18:00"})

    vote = jury.votes.get()
    assert vote.closes_at == datetime.datetime(
        2031, 5, 20, 18, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London")
    )
    client.force_login(juror)
    home = client.get(reverse("juries:home", args=[jury.slug])).content.decode()
    assert "The vote closes on 20 May 2031" in home
    # Every step gives the same day: the juror once voted, and the facilitator.
    decisions.cast_ballot(vote, Recommendation.objects.get(jury=jury), juror, "support")
    home = client.get(reverse("juries:home", args=[jury.slug])).content.decode()
    assert "you can change your ballot until 20 May 2031" in home
    client.force_login(facilitator)
    home = client.get(reverse("juries:home", args=[jury.slug])).content.decode()
    assert "The vote is planned to close on 20 May 2031" in home


def test_a_closing_time_in_the_past_is_refused_and_the_typed_time_kept(
    client, jury, facilitator, juror
):
    from tests.conftest import sign_in_recently

    jury.stage = Stage.DECISION
    jury.save(update_fields=["stage"])
    recommendation(jury)
    sign_in_recently(client, facilitator)
    response = client.post(
        reverse("voting:vote-open", args=[jury.slug]), {"closes_at": "2001-05-20T18:00"}
    )
    page = response.content.decode()
    assert "Choose a time in the future" in page
    assert "2001-05-20T18:00" in page
    assert not jury.votes.filter(state="open").exists()


def test_the_witness_sees_the_date_to_answer_by_on_the_question(
    client, jury, facilitator, juror, witness
):
    jury.stage = Stage.LEARNING
    jury.save(update_fields=["stage"])
    w = Witness.objects.create(
        jury=jury, user=witness, name="Wren", role="Statistician", standpoint=Standpoint.EXPERT
    )
    question = Question.objects.create(jury=jury, asked_by=juror, text="Who checks the model?")
    question_service.assign(
        question=question, witness=w, by=facilitator, answer_by=datetime.date(2031, 3, 10)
    )
    client.force_login(witness)
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Please answer by 10 March 2031" in page


def test_a_scheduled_sitting_is_on_whats_new_and_emailed_once_whatever_the_choice(
    client, jury, facilitator, juror, other_juror, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.juries.test_sitting_emails import schedule

    choose(juror, jury, EmailChoice.NEEDED)
    choose(other_juror, jury, EmailChoice.SUMMARY)
    client.force_login(facilitator)

    schedule(client, jury, django_capture_on_commit_callbacks)

    for person in (facilitator, juror, other_juror):
        assert len(to(mailoutbox, person)) == 1
    client.force_login(juror)
    page = client.get(reverse("juries:whats-new")).content.decode()
    assert "A sitting has been scheduled: “Meeting the witnesses”" in page

    age_news()
    mailoutbox.clear()
    send_digests.enqueue()
    assert to(mailoutbox, other_juror) == []  # already emailed: not in the summary again


def test_the_facilitator_may_set_the_date_to_answer_by_when_putting_a_question(
    client, jury, facilitator, juror, witness
):
    w = Witness.objects.create(
        jury=jury, user=witness, name="Wren", role="Statistician", standpoint=Standpoint.EXPERT
    )
    question = Question.objects.create(jury=jury, asked_by=juror, text="Who checks the model?")
    client.force_login(facilitator)
    url = reverse("evidence:question-assign", args=[jury.slug, question.pk])
    page = client.get(question.get_absolute_url()).content.decode()
    assert 'name="answer_by"' in page

    client.post(url, {"witness": w.pk, "answer_by": "2001-01-01"})
    question.refresh_from_db()
    assert question.witness is None

    client.post(url, {"witness": w.pk, "answer_by": "2031-04-02"})
    question.refresh_from_db()
    assert question.witness == w and question.answer_by == datetime.date(2031, 4, 2)


def test_the_vote_opening_email_gives_the_planned_close_in_the_jurors_time(
    jury, facilitator, juror, mailoutbox
):
    juror.timezone = "Pacific/Auckland"
    juror.save(update_fields=["timezone"])
    open_vote(jury, facilitator, closes_at=at(2031, 5, 20, 17, 0))  # 17:00 UTC
    (email,) = [m for m in mailoutbox if m.to == [juror.email]]
    # 17:00 UTC on 20 May is 05:00 on 21 May in Auckland (NZST, UTC+12).
    assert "plan to close the vote on Wednesday 21 May 2031, 05:00" in email.body
    assert "we will remind you" in email.body


def test_a_moved_sitting_is_reminded_again_for_its_new_time(
    client, london_and_auckland, jury, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.juries.test_sitting_emails import sitting_data

    london, _auckland = london_and_auckland
    facilitator.timezone = "Europe/London"
    facilitator.save(update_fields=["timezone"])
    client.force_login(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("juries:sitting-create", args=[jury.slug]),
            sitting_data(starts_at="2030-06-03T18:30", ends_at="2030-06-03T20:00"),
        )
    sitting = Sitting.objects.get()
    notifications.queue_due_reminders(at(2030, 6, 2, 10, 0))  # the day before, in London
    assert len(to(mailoutbox, london)) == 2  # scheduled, then the reminder
    # Rewording it changes nothing; moving it a week later lets the reminder go again.
    edit = reverse("juries:sitting-edit", args=[jury.slug, sitting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, sitting_data(description="New words only."))
    assert notifications.queue_due_reminders(at(2030, 6, 9, 10, 0)) == 0  # nothing due yet
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, sitting_data(starts_at="2030-06-10T18:30", ends_at="2030-06-10T20:00"))
    notifications.queue_due_reminders(at(2030, 6, 9, 10, 0))
    subjects = [m.subject for m in to(mailoutbox, london)]
    assert len(subjects) == 4  # scheduled, reminder, moved, the new reminder
    assert subjects[1] == subjects[3] == "Tomorrow: Meeting the witnesses"


def test_a_question_given_a_new_date_is_reminded_again(jury, facilitator, juror, witness):
    w = Witness.objects.create(
        jury=jury, user=witness, name="Wren", role="Statistician", standpoint=Standpoint.EXPERT
    )
    question = Question.objects.create(jury=jury, asked_by=juror, text="Who checks the model?")
    question_service.assign(
        question=question, witness=w, by=facilitator, answer_by=datetime.date(2031, 3, 10)
    )
    assert notifications.queue_due_reminders(at(2031, 3, 9, 10, 0)) == 1
    assert notifications.queue_due_reminders(at(2031, 3, 9, 11, 0)) == 0
    # Put again with a later date: the reminder goes again, the day before the new date.
    question_service.assign(
        question=question, witness=w, by=facilitator, answer_by=datetime.date(2031, 3, 20)
    )
    assert notifications.queue_due_reminders(at(2031, 3, 9, 12, 0)) == 0
    assert notifications.queue_due_reminders(at(2031, 3, 19, 10, 0)) == 1


def _send_queued(rows):
    """Run queued emails as the worker would, from what the queue holds."""
    from juries.emails import deliver

    for row in rows:
        deliver.call(**row.args_kwargs["kwargs"])


def test_a_queued_closing_reminder_is_not_sent_once_the_vote_has_closed(
    jury, facilitator, juror, other_juror, mailoutbox, settings
):
    vote = open_vote(jury, facilitator, closes_at=at(2031, 5, 20, 17, 0))
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    notifications.queue_due_reminders(at(2031, 5, 19, 12, 0))
    queued = list(
        DBTaskResult.objects.filter(args_kwargs__kwargs__template="voting/email/vote_closing")
    )
    assert len(queued) == 2  # both jurors, neither has voted
    decisions.close_vote(vote, facilitator)
    mailoutbox.clear()
    _send_queued(queued)
    assert mailoutbox == []


def test_a_queued_question_reminder_is_not_sent_once_it_is_answered(
    jury, facilitator, juror, witness, mailoutbox, settings
):
    w = Witness.objects.create(
        jury=jury, user=witness, name="Wren", role="Statistician", standpoint=Standpoint.EXPERT
    )
    question = Question.objects.create(jury=jury, asked_by=juror, text="Who checks the model?")
    question_service.assign(
        question=question, witness=w, by=facilitator, answer_by=datetime.date(2031, 3, 10)
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    notifications.queue_due_reminders(at(2031, 3, 9, 10, 0))
    (queued,) = DBTaskResult.objects.filter(
        args_kwargs__kwargs__template="evidence/email/question_reminder"
    )
    question_service.answer(question=question, text="An audit team, yearly.", by=witness)
    mailoutbox.clear()
    _send_queued([queued])
    assert mailoutbox == []
