"""No secret is stored at rest: tried as an insider with a copy of the database would.

Emails wait in the task table as references (ids), are rendered when the worker sends them, and
their rows go once sent. Sign-in codes never wait there. Withdrawing, deleting an account and the
retention job leave the person's address in no table. Every search here reads every column of
every table with raw SQL, and reads stored sessions' data too.
"""

import json
import re
import smtplib
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from deliberate import threads
from juries import emails, invitations
from juries.models import (
    Answer,
    Category,
    CategoryValue,
    Draw,
    DrawState,
    Invitation,
    Place,
    PlaceKind,
    PlaceState,
    Recruitment,
    RecruitmentState,
    Role,
    Stage,
    StageChange,
    Visibility,
    Volunteer,
    VolunteerSource,
)
from juries.selection import recruitment
from juries.selection.retention import delete_expired_volunteers
from tests.conftest import make_user

CODE = re.compile(r"^\s*([A-Z0-9]{4,8}(?:-[A-Z0-9]{3,8})?)\s*$", re.MULTILINE)
TASK_TABLE = DBTaskResult._meta.db_table


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message, quoting the address as real servers do."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused(
            {m.to[0]: (550, f"No mailbox {m.to[0]}".encode()) for m in email_messages}
        )


REFUSING = f"{__name__}.RefusingBackend"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Registrations and sign-ins here are not counted against those of other tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def queued(settings):
    """Tasks wait in the database, as in production, until `run_the_worker()`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_the_worker(limit=None):
    """Run the waiting tasks (at most `limit`) with the worker's own code (`manage.py db_worker`)."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    while limit is None or worker._run_tasks < limit:
        with transaction.atomic():
            row = DBTaskResult.objects.ready().get_locked()
            if row is None:
                return
            row.claim(worker.worker_id)
        worker.run_task(row)


def rows_of(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (a table name from introspection)
        return [" ".join(str(cell) for cell in row).lower() for row in cursor.fetchall()]


def task_table_text():
    return "\n".join(rows_of(TASK_TABLE))


def tables_holding(*needles):
    """The tables in which some row, read column by column, contains one of `needles`; stored
    sessions are decoded, since their data is signed and encoded."""
    needles = [needle.lower() for needle in needles]
    found = {
        table
        for table in connection.introspection.table_names()
        if any(needle in row for row in rows_of(table) for needle in needles)
    }
    for session in Session.objects.all():
        data = json.dumps(session.get_decoded(), default=str).lower()
        if any(needle in data for needle in needles):
            found.add("django_session (decoded)")
    return found


def code_from(message):
    match = CODE.search(message.body)
    assert match, message.body
    return match.group(1)


def ask_for_a_code(client, email):
    return client.post(reverse("account_login"), {"login": email})


# --- fixtures for a jury that recruits --------------------------------------------------------


@pytest.fixture
def categories(jury):
    category = Category.objects.create(jury=jury, name="Age", question="How old are you?")
    return [CategoryValue.objects.create(category=category, label="16 to 29")]


@pytest.fixture
def open_jury(jury, categories):
    jury.visibility = Visibility.PUBLIC
    jury.save()
    Recruitment.objects.create(jury=jury, state=RecruitmentState.OPEN)
    return jury


def volunteer_through_the_form(client, jury, categories, email="ada@example.net"):
    value = categories[0]
    response = client.post(
        reverse("juries:volunteer-register", args=[jury.slug]),
        {
            "name": "Ada Lovelace",
            "email": email,
            f"category_{value.category_id}": value.pk,
            "access_needs": "Step-free access, please",
            "consent": "on",
            "website": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    return Volunteer.objects.get(email=email)


@pytest.fixture
def deliberating(jury):
    jury.stage = Stage.DELIBERATION
    jury.save(update_fields=["stage"])
    return jury


# --- sign-in codes ----------------------------------------------------------------------------


def test_a_sign_in_code_is_sent_at_once_and_never_waits_in_the_task_table(
    client, juror, queued, mailoutbox
):
    response = ask_for_a_code(client, juror.email)

    assert response.status_code == 302
    [message] = mailoutbox
    code = code_from(message)
    assert message.to == [juror.email]
    assert DBTaskResult.objects.count() == 0
    text = task_table_text()
    assert code.lower() not in text and juror.email not in text


def test_a_mail_server_that_is_down_gives_a_clear_message_instead_of_an_error(
    client, juror, settings
):
    settings.EMAIL_BACKEND = REFUSING

    response = ask_for_a_code(client, juror.email)
    page = client.get(response.url)

    assert response.status_code == 302 and page.status_code == 200
    text = page.content.decode()
    assert "We could not send the email just now" in text
    assert "A sign-in code has been sent" not in text


def test_an_unknown_address_with_the_mail_server_down_is_told_the_same(client, db, settings):
    settings.EMAIL_BACKEND = REFUSING

    response = client.post(reverse("account_login"), {"login": "nobody@example.org"}, follow=True)

    assert response.status_code == 200
    assert "We could not send the email just now" in response.content.decode()


# --- what waits in the task table -------------------------------------------------------------


def test_an_invitation_waits_as_ids_and_arrives_with_its_link_when_the_worker_runs(
    jury, facilitator, queued, mailoutbox
):
    invitation = invitations.invite(
        jury=jury, email="newcomer@example.org", role=Role.JUROR, by=facilitator
    )

    assert DBTaskResult.objects.count() == 1
    text = task_table_text()
    assert invitation.token.lower() not in text
    assert "newcomer@example.org" not in text and jury.remit_summary.lower() not in text
    assert mailoutbox == []

    run_the_worker()

    [message] = mailoutbox
    assert message.to == ["newcomer@example.org"]
    assert invitation.get_absolute_url() in message.body
    assert jury.remit_summary in message.body
    assert DBTaskResult.objects.count() == 0


def test_volunteering_waits_as_ids_and_the_confirm_link_arrives_when_the_worker_runs(
    client, open_jury, categories, queued, mailoutbox
):
    volunteer = volunteer_through_the_form(client, open_jury, categories)

    text = task_table_text()
    assert DBTaskResult.objects.count() == 1
    assert volunteer.token.lower() not in text
    assert "ada@example.net" not in text and "ada lovelace" not in text

    run_the_worker()

    [message] = mailoutbox
    assert message.to == ["ada@example.net"]
    assert volunteer.confirm_url() in message.body and volunteer.withdraw_url() in message.body
    assert DBTaskResult.objects.count() == 0


def test_a_reply_notification_waits_without_its_words_and_arrives_with_them(
    deliberating, facilitator, juror, other_juror, queued, mailoutbox
):
    from deliberate.models import NotificationChoice, Notify

    NotificationChoice.objects.create(user=juror, choice=Notify.REPLIES)
    thread = threads.start_thread(
        jury=deliberating, title="Who checks the scores?", body="Let us begin.", by=facilitator
    )
    mine = threads.add_post(thread=thread, body="Mine.", by=juror)
    threads.add_post(
        thread=thread, body="The caseworker sees the score first.", by=other_juror, reply_to=mine
    )

    text = task_table_text()
    assert DBTaskResult.objects.count() == 1
    assert "caseworker" not in text and juror.email not in text

    run_the_worker()

    [message] = mailoutbox
    assert message.to == [juror.email]
    assert "The caseworker sees the score first." in message.body
    assert "Kim replied to you" in message.subject
    assert DBTaskResult.objects.count() == 0


def test_the_daily_digest_waits_without_the_posts_and_arrives_with_them(
    deliberating, facilitator, juror, other_juror, queued, mailoutbox
):
    from deliberate.digests import send_digests
    from deliberate.models import Post

    thread = threads.start_thread(
        jury=deliberating, title="Who checks the scores?", body="Let us begin.", by=facilitator
    )
    news = threads.add_post(thread=thread, body="The caseworker sees it first.", by=other_juror)
    Post.objects.filter(pk=news.pk).update(created_at=news.created_at - timedelta(minutes=5))
    send_digests.enqueue()
    run_the_worker(limit=1)  # the digest task, which queues one email per reader

    text = task_table_text()
    assert "caseworker" not in text and "@" not in text
    assert DBTaskResult.objects.ready().count() == 2  # to the facilitator and to Jo

    run_the_worker()

    to_jo = [m for m in mailoutbox if m.to == [juror.email]]
    assert len(to_jo) == 1 and "The caseworker sees it first." in to_jo[0].body
    assert not DBTaskResult.objects.filter(task_path="juries.emails.deliver").exists()


def test_a_reply_withdrawn_before_the_worker_runs_is_not_sent_and_nothing_fails(
    deliberating, facilitator, juror, other_juror, queued, mailoutbox
):
    from deliberate.models import NotificationChoice, Notify

    NotificationChoice.objects.create(user=juror, choice=Notify.REPLIES)
    thread = threads.start_thread(
        jury=deliberating, title="Who checks the scores?", body="Let us begin.", by=facilitator
    )
    mine = threads.add_post(thread=thread, body="Mine.", by=juror)
    reply = threads.add_post(thread=thread, body="Said in haste.", by=other_juror, reply_to=mine)
    threads.withdraw_post(post=reply, by=other_juror)

    run_the_worker()

    assert mailoutbox == []
    assert DBTaskResult.objects.count() == 0


def test_a_reply_hidden_before_the_worker_runs_is_not_sent_but_its_author_is_told(
    deliberating, facilitator, juror, other_juror, queued, mailoutbox
):
    from deliberate.models import NotificationChoice, Notify

    NotificationChoice.objects.create(user=juror, choice=Notify.REPLIES)
    thread = threads.start_thread(
        jury=deliberating, title="Who checks the scores?", body="Let us begin.", by=facilitator
    )
    mine = threads.add_post(thread=thread, body="Mine.", by=juror)
    reply = threads.add_post(thread=thread, body="Something unkind.", by=other_juror, reply_to=mine)
    threads.hide_post(post=reply, by=facilitator, reason="Not respectful")

    run_the_worker()

    [notice] = mailoutbox
    assert notice.to == [other_juror.email]
    assert "Not respectful" in notice.body and "Something unkind." not in notice.body
    assert DBTaskResult.objects.count() == 0


def test_an_email_to_a_volunteer_who_withdrew_meanwhile_is_not_sent(
    client, open_jury, categories, queued, mailoutbox
):
    volunteer = volunteer_through_the_form(client, open_jury, categories)
    recruitment.withdraw(volunteer)
    mailoutbox.clear()  # the note that they withdrew, sent at once

    run_the_worker()

    assert mailoutbox == []
    assert DBTaskResult.objects.count() == 0


def test_an_email_the_server_refuses_stays_as_a_failed_task_holding_only_ids(
    jury, facilitator, queued, settings, mailoutbox
):
    invitation = invitations.invite(
        jury=jury, email="newcomer@example.org", role=Role.JUROR, by=facilitator
    )
    settings.EMAIL_BACKEND = REFUSING

    run_the_worker()

    [row] = DBTaskResult.objects.all()
    assert row.status == "FAILED"
    assert row.exception_class_path == "juries.emails.EmailNotSent"
    text = task_table_text()
    assert "newcomer@example.org" not in text and invitation.token.lower() not in text


def test_a_queued_email_refuses_a_value_that_is_neither_a_model_nor_plain(juror, queued):
    with pytest.raises(TypeError):
        emails.queue("deliberate/email/reply", to=juror, context={"post": {"body": "words"}})
    assert DBTaskResult.objects.count() == 0


# --- the admin --------------------------------------------------------------------------------


@pytest.fixture
def staff(db):
    user = make_user("admin@example.org", "Admin")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_the_admin_shows_no_task_arguments_result_or_traceback(client, staff, juror, queued):
    emails.queue("deliberate/email/reply", to=juror, context={"note": "SECRET-4471"})
    row = DBTaskResult.objects.get()
    DBTaskResult.objects.filter(pk=row.pk).update(
        status="FAILED",
        return_value={"echo": "SECRET-4471"},
        exception_class_path="smtplib.SMTPRecipientsRefused",
        traceback="SMTPRecipientsRefused: SECRET-4471",
    )
    client.force_login(staff)

    listing = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    detail = client.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[row.pk]))

    for page in (listing, detail):
        assert page.status_code == 200
        assert "SECRET-4471" not in page.content.decode()
    assert "SMTPRecipientsRefused" in detail.content.decode()
    assert "deliver" in listing.content.decode()


# --- erasure ----------------------------------------------------------------------------------


def test_a_volunteer_who_withdraws_leaves_their_address_in_no_table(
    client, open_jury, categories, facilitator, queued, mailoutbox
):
    address = "ada@example.net"
    volunteer = volunteer_through_the_form(client, open_jury, categories, email=address)
    run_the_worker()
    recruitment.confirm(volunteer)
    # Drawn, invited, and they tried to sign in with the address before having an account.
    draw = Draw.objects.create(jury=open_jury, panel_size=1, state=DrawState.DRAWN)
    invitation = invitations.invite(jury=open_jury, email=address, role=Role.JUROR, by=facilitator)
    Place.objects.create(
        draw=draw,
        volunteer=volunteer,
        pseudonym=volunteer.pseudonym,
        kind=PlaceKind.PANEL,
        position=1,
        state=PlaceState.INVITED,
        invitation=invitation,
    )
    ask_for_a_code(Client(), address)
    assert tables_holding(address)  # the search finds it while it is there
    mailoutbox.clear()

    response = client.post(volunteer.withdraw_url(), follow=True)

    assert "You have withdrawn" in response.content.decode()
    assert tables_holding(address) == set()
    [farewell] = mailoutbox
    assert farewell.to == [address] and "withdrawn" in farewell.subject


def test_withdrawing_with_the_mail_server_down_still_erases_and_says_so(
    client, open_jury, categories, settings
):
    volunteer = volunteer_through_the_form(client, open_jury, categories)
    settings.EMAIL_BACKEND = REFUSING

    response = client.post(volunteer.withdraw_url(), follow=True)

    assert response.status_code == 200
    text = response.content.decode()
    assert "You have withdrawn" in text
    assert "we could not send the email that confirms it" in text
    assert tables_holding("ada@example.net") == set()


def test_deleting_an_account_leaves_the_address_in_no_table(
    client, make_jury, jury, juror, facilitator, open_jury, categories, queued
):
    address = juror.email
    other = make_jury(slug="other-jury")
    invitations.invite(jury=other, email=address, role=Role.WITNESS, by=facilitator)
    volunteer_through_the_form(Client(), open_jury, categories, email=address)
    ask_for_a_code(Client(), address)  # a sign-in begun on another device, never finished
    emails.queue("deliberate/email/hidden", to=juror, context={"jury": jury})
    assert tables_holding(address)
    client.force_login(juror)

    client.post(reverse("juries:delete-account"), {"confirm": "on"})

    assert tables_holding(address) == set()


def test_an_address_changed_after_coming_through_the_lottery_is_in_no_table_after_deletion(
    client, jury, juror, facilitator, categories
):
    from juries.addresses import change_email
    from juries.models import Draw, DrawState, Invitation, Place

    old = juror.email
    volunteer = Volunteer.objects.create(
        jury=jury, name="Jo", email=old, source=VolunteerSource.FORM, confirmed_at=timezone.now()
    )
    invitation = Invitation.objects.create(
        jury=jury,
        email=old,
        invited_by=facilitator,
        expires_at=timezone.now() + timedelta(days=14),
        accepted_at=timezone.now(),
        accepted_by=juror,
    )
    draw = Draw.objects.create(jury=jury, panel_size=1, state=DrawState.DRAWN)
    Place.objects.create(
        draw=draw,
        volunteer=volunteer,
        pseudonym=volunteer.pseudonym,
        kind="panel",
        position=1,
        invitation=invitation,
    )
    change_email(user=juror, new_email="jo.new@example.org", by=facilitator)
    assert tables_holding(old)  # the accepted invitation and the registration keep it
    client.force_login(juror)

    client.post(reverse("juries:delete-account"), {"confirm": "on"})

    assert tables_holding(old) == set()
    assert tables_holding("jo.new@example.org") == set()


def test_the_retention_job_leaves_the_addresses_it_deletes_in_no_table(
    jury, facilitator, categories
):
    value = categories[0]
    people = []
    for number in range(3):
        volunteer = Volunteer.objects.create(
            jury=jury,
            name=f"Person {number}",
            email=f"person{number}@example.org",
            source=VolunteerSource.FORM,
            confirmed_at=timezone.now(),
        )
        Answer.objects.create(volunteer=volunteer, category=value.category, value=value)
        people.append(volunteer)
    draw = Draw.objects.create(jury=jury, panel_size=1, state=DrawState.DRAWN)
    Place.objects.create(
        draw=draw, volunteer=people[0], pseudonym=people[0].pseudonym, kind="panel", position=1
    )
    # The first reserve was invited, then declined: their invitation is revoked but kept.
    declined = invitations.invite(
        jury=jury, email="person1@example.org", role=Role.JUROR, by=facilitator
    )
    invitations.revoke(invitation=declined, by=facilitator)
    Place.objects.create(
        draw=draw,
        volunteer=people[1],
        pseudonym=people[1].pseudonym,
        kind=PlaceKind.RESERVE,
        position=1,
        state=PlaceState.LEFT,
        invitation=declined,
    )
    ask_for_a_code(Client(), "person2@example.org")
    Recruitment.objects.create(jury=jury, retention_days=90)
    change = StageChange.objects.create(jury=jury, from_stage=Stage.REPORT, to_stage=Stage.RESPONSE)
    StageChange.objects.filter(pk=change.pk).update(changed_at=timezone.now() - timedelta(days=91))
    assert tables_holding("person1@example.org", "person2@example.org")

    assert delete_expired_volunteers() == {jury.slug: 2}

    assert tables_holding("person1@example.org", "person2@example.org") == set()
    assert Invitation.objects.get(pk=declined.pk).email.endswith("@invalid")
