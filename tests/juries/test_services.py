"""Services that change a jury or a person: stages, removing members, accounts, calendars."""

import json
import zoneinfo
from datetime import datetime

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.urls import reverse
from icalendar import Calendar

from juries import accounts, audit, invitations, members, stages
from juries.calendar import sitting_calendar
from juries.models import (
    AgendaItem,
    AuditEntry,
    Invitation,
    Membership,
    Role,
    Sitting,
    Stage,
    StageChange,
    User,
)
from juries.permissions import get_jury_for

LONDON = zoneinfo.ZoneInfo("Europe/London")

# --- change_stage ----------------------------------------------------------------------------


def test_facilitator_moves_the_jury_to_the_next_stage(jury, facilitator):
    change = stages.change_stage(
        jury=jury, to_stage=Stage.SELECTION, by=facilitator, note="Lottery done"
    )

    jury.refresh_from_db()
    assert jury.stage == Stage.SELECTION
    assert (change.from_stage, change.to_stage, change.changed_by, change.note) == (
        Stage.SETUP,
        Stage.SELECTION,
        facilitator,
        "Lottery done",
    )
    entry = AuditEntry.objects.get(jury=jury, action="stage.change")
    assert entry.actor == facilitator
    assert "Set-up" in entry.summary
    assert "Selection" in entry.summary


def test_facilitator_can_move_the_jury_back_one_stage(make_jury, facilitator):
    jury = make_jury(slug="learning-jury", stage=Stage.LEARNING)

    stages.change_stage(jury=jury, to_stage=Stage.SELECTION, by=facilitator)

    jury.refresh_from_db()
    assert jury.stage == Stage.SELECTION
    assert StageChange.objects.get(jury=jury).from_stage == Stage.LEARNING


def test_the_jury_object_in_hand_shows_the_new_stage(jury, facilitator):
    stages.change_stage(jury=jury, to_stage="selection", by=facilitator)

    assert jury.stage == Stage.SELECTION


def test_every_stage_can_be_reached_one_step_at_a_time(jury, facilitator, monkeypatch):
    # Other apps' checks (a vote to close, a report to publish) are tested with those apps.
    monkeypatch.setattr(stages, "STAGE_CHECKS", [])
    for stage in list(Stage)[1:]:
        stages.change_stage(jury=jury, to_stage=stage, by=facilitator)

    jury.refresh_from_db()
    assert jury.stage == Stage.RESPONSE
    assert StageChange.objects.filter(jury=jury).count() == len(Stage) - 1


def test_a_check_added_by_another_app_refuses_the_move_with_its_message(
    jury, facilitator, monkeypatch
):
    monkeypatch.setattr(stages, "STAGE_CHECKS", [lambda jury, was, to: "Not yet, sorry."])

    with pytest.raises(stages.StageChangeError, match="Not yet, sorry."):
        stages.change_stage(jury=jury, to_stage=Stage.SELECTION, by=facilitator)
    jury.refresh_from_db()
    assert jury.stage == Stage.SETUP


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Stage.SETUP, Stage.LEARNING),
        (Stage.SETUP, Stage.RESPONSE),
        (Stage.DECISION, Stage.LEARNING),
    ],
)
def test_a_stage_cannot_be_skipped(make_jury, facilitator, start, to):
    jury = make_jury(slug="stage-jury", stage=start)

    with pytest.raises(stages.StageChangeError):
        stages.change_stage(jury=jury, to_stage=to, by=facilitator)

    jury.refresh_from_db()
    assert jury.stage == start
    assert not StageChange.objects.filter(jury=jury).exists()
    assert not AuditEntry.objects.filter(jury=jury, action="stage.change").exists()


def test_a_jury_with_no_jurors_cannot_start_learning(jury, facilitator):
    stages.change_stage(jury=jury, to_stage=Stage.SELECTION, by=facilitator)
    with pytest.raises(stages.StageChangeError, match="no jurors yet"):
        stages.change_stage(jury=jury, to_stage=Stage.LEARNING, by=facilitator)
    jury.refresh_from_db()
    assert jury.stage == Stage.SELECTION


def test_a_stage_change_checks_the_stage_the_jury_is_at_now(jury, facilitator, juror):
    """A stale jury object (another facilitator moved it meanwhile) cannot cause a skip."""
    stale = type(jury).objects.get(pk=jury.pk)
    stages.change_stage(jury=jury, to_stage=Stage.SELECTION, by=facilitator)

    with pytest.raises(stages.StageChangeError):
        stages.change_stage(jury=stale, to_stage=Stage.DRAFTING, by=facilitator)
    stages.change_stage(jury=stale, to_stage=Stage.LEARNING, by=facilitator)

    jury.refresh_from_db()
    assert jury.stage == Stage.LEARNING


def test_moving_to_the_stage_the_jury_is_already_at_changes_nothing(jury, facilitator):
    """Two facilitators pressing "Move on" together move the jury once."""
    stale = type(jury).objects.get(pk=jury.pk)
    stages.change_stage(jury=jury, to_stage=Stage.SELECTION, by=facilitator)

    assert stages.change_stage(jury=stale, to_stage=Stage.SELECTION, by=facilitator) is None

    jury.refresh_from_db()
    assert jury.stage == Stage.SELECTION
    assert StageChange.objects.filter(jury=jury).count() == 1


# --- remove_member ---------------------------------------------------------------------------


def test_removing_a_member_ends_their_access_at_once(jury, facilitator, juror):
    membership = Membership.objects.get(jury=jury, user=juror)

    members.remove_member(membership=membership, by=facilitator)

    assert not Membership.objects.filter(jury=jury, user=juror).exists()
    assert User.objects.filter(pk=juror.pk).exists()
    with pytest.raises(Http404):
        get_jury_for(juror, jury.slug)


def test_removing_a_member_is_recorded_in_the_audit_log(jury, facilitator, juror):
    membership = Membership.objects.get(jury=jury, user=juror)

    members.remove_member(membership=membership, by=facilitator)

    entry = AuditEntry.objects.get(jury=jury, action="membership.remove")
    assert entry.actor == facilitator
    [shown] = audit.for_display([entry], jury)
    assert shown.text == "Removed Jo (Juror) from the jury."
    assert shown.who == "Fran"


# --- delete_account --------------------------------------------------------------------------


def test_deleting_an_account_erases_the_email_and_display_name(juror):
    accounts.delete_account(user=juror)

    juror.refresh_from_db()
    assert juror.email != "jo@example.org"
    assert juror.display_name == ""
    assert not juror.is_active
    assert not juror.has_usable_password()
    assert not User.objects.filter(email__iexact="jo@example.org").exists()
    assert not EmailAddress.objects.filter(email__iexact="jo@example.org").exists()


def test_deleting_an_account_erases_the_persons_registration_for_the_lottery(
    jury, juror, mailoutbox
):
    from juries.models import Volunteer

    mine = Volunteer.objects.create(
        jury=jury, name="Jo Bloggs", email="jo@example.org", access_needs="Hearing loop"
    )
    other = Volunteer.objects.create(jury=jury, name="Kim", email="kim@example.org")

    accounts.delete_account(user=juror)

    mine.refresh_from_db()
    assert (mine.name, mine.access_needs) == ("", "")
    assert mine.email != "jo@example.org" and mine.withdrawn_at is not None
    other.refresh_from_db()
    assert other.name == "Kim"
    assert not [m for m in mailoutbox if "withdr" in m.subject.lower()]


def test_a_deleted_member_is_shown_as_former_juror(jury, juror):
    accounts.delete_account(user=juror)

    juror.refresh_from_db()
    assert juror.public_name == "Former juror"
    assert str(juror) == "Former juror"


def test_deleting_an_account_anonymises_invitations_to_that_address(jury, facilitator, juror):
    Invitation.objects.create(jury=jury, email="jo@example.org", invited_by=facilitator)
    Invitation.objects.create(jury=jury, email="kim@example.org", invited_by=facilitator)

    accounts.delete_account(user=juror)

    emails = set(Invitation.objects.values_list("email", flat=True))
    assert "jo@example.org" not in emails
    assert "kim@example.org" in emails


def test_the_audit_log_never_keeps_an_address_so_deletion_need_not_rewrite_it(
    jury, facilitator, juror
):
    audit.record(
        actor=facilitator, action="invitation.create", summary="Invited Jo@Example.org.", jury=jury
    )

    accounts.delete_account(user=juror)

    assert not AuditEntry.objects.filter(summary__icontains="jo@example.org").exists()


def test_deleting_an_account_leaves_the_address_nowhere_in_the_audit_log(
    jury, facilitator, make_person, mailoutbox
):
    invitation = invitations.invite(
        jury=jury, email="sam@example.org", role=Role.JUROR, by=facilitator
    )
    sam = make_person("sam@example.org", "Sam")
    invitations.accept(invitation=invitation, user=sam)

    accounts.delete_account(user=sam)

    for entry in AuditEntry.objects.all():
        assert "sam@example.org" not in entry.summary
        assert "sam@example.org" not in entry.target_label


def test_deleting_an_account_signs_the_person_out_everywhere(client, jury, juror):
    client.force_login(juror)
    assert client.get(reverse("juries:download-data")).status_code == 200
    session_key = client.session.session_key
    assert UserSession.objects.filter(user=juror).exists()

    accounts.delete_account(user=juror)

    assert not UserSession.objects.filter(user=juror).exists()
    assert not Session.objects.filter(session_key=session_key).exists()
    response = client.get(reverse("juries:download-data"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_deleted_account_keeps_its_place_in_the_jury_without_access(jury, juror):
    accounts.delete_account(user=juror)

    juror.refresh_from_db()
    with pytest.raises(Http404):
        get_jury_for(juror, jury.slug)


# --- export_data -----------------------------------------------------------------------------


def test_export_contains_the_persons_profile_and_memberships(make_jury, jury, juror):
    other_jury = make_jury(slug="second-jury", title="Second jury")
    Membership.objects.create(jury=other_jury, user=juror, role=Role.WITNESS)

    data = accounts.export_data(juror)

    assert data["profile"]["email"] == "jo@example.org"
    assert data["profile"]["display_name"] == "Jo"
    assert sorted((m["jury"], m["role"]) for m in data["memberships"]) == sorted(
        [(jury.title, "juror"), ("Second jury", "witness")]
    )
    assert data["email_addresses"] == [
        {"email": "jo@example.org", "verified": True, "primary": True}
    ]


def test_export_lists_invitations_to_the_person_only(jury, facilitator, juror, other_juror):
    Invitation.objects.create(jury=jury, email="jo@example.org", invited_by=facilitator)
    Invitation.objects.create(jury=jury, email="kim@example.org", invited_by=facilitator)

    data = accounts.export_data(juror)

    assert [(i["jury"], i["state"]) for i in data["invitations_received"]] == [
        (jury.title, "pending")
    ]


def test_export_holds_no_other_persons_data(jury, personas, other_juror):
    juror = personas["juror"]
    audit.record(
        jury=jury,
        actor=personas["facilitator"],
        action="invitation.create",
        summary="Invited kim@example.org.",
    )
    Invitation.objects.create(
        jury=jury, email="kim@example.org", invited_by=personas["facilitator"]
    )

    text = json.dumps(accounts.export_data(juror), cls=DjangoJSONEncoder)

    assert "jo@example.org" in text
    others = [p for name, p in personas.items() if name != "juror"] + [other_juror]
    for person in others:
        assert person.email not in text
        assert f'"{person.display_name}"' not in text


# --- sitting_calendar ------------------------------------------------------------------------


@pytest.fixture
def sitting(jury):
    made = Sitting.objects.create(
        jury=jury,
        title="Meeting the witnesses",
        description="Bring your questions.",
        starts_at=datetime(2030, 6, 3, 18, 30, tzinfo=LONDON),
        ends_at=datetime(2030, 6, 3, 20, 0, tzinfo=LONDON),
        video_url="https://meet.example.org/jury",
    )
    AgendaItem.objects.create(
        sitting=made, position=1, title="Welcome, and how tonight works", planned_minutes=10
    )
    AgendaItem.objects.create(
        sitting=made, position=2, title="Questions to the data scientist", planned_minutes=45
    )
    # As views hand it over: fresh from the database.
    return Sitting.objects.select_related("jury").get(pk=made.pk)


def read_event(ics):
    calendar = Calendar.from_ical(ics)
    assert calendar.name == "VCALENDAR"
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_calendar_file_is_one_event_for_the_sitting(sitting):
    url = "https://deliberate.example.org/juries/fraud-scores/sittings/1/"

    calendar, event = read_event(sitting_calendar(sitting, url))

    assert str(calendar["version"]) == "2.0"
    assert calendar["prodid"]
    assert str(event["summary"]) == f"{sitting.jury.title}: Meeting the witnesses"
    assert str(event["uid"]) == f"sitting-{sitting.pk}@deliberate"
    assert str(event["url"]) == url
    assert str(event["location"]) == "https://meet.example.org/jury"


def test_calendar_times_are_in_utc(sitting):
    ics = sitting_calendar(sitting, "https://deliberate.example.org/s/1/")

    assert b"DTSTART:20300603T173000Z" in ics
    assert b"DTEND:20300603T190000Z" in ics
    _calendar, event = read_event(ics)
    assert event.decoded("dtstart") == datetime(2030, 6, 3, 18, 30, tzinfo=LONDON)


def test_calendar_description_carries_the_agenda_and_the_link(sitting):
    url = "https://deliberate.example.org/s/1/"

    _calendar, event = read_event(sitting_calendar(sitting, url))

    description = str(event["description"])
    assert "Bring your questions." in description
    assert "Welcome, and how tonight works (10 min)" in description
    assert "Questions to the data scientist (45 min)" in description
    assert description.index("Welcome") < description.index("Questions to")
    assert url in description


def test_calendar_event_has_the_stamp_every_calendar_app_requires(sitting):
    _calendar, event = read_event(sitting_calendar(sitting, "https://deliberate.example.org/"))

    assert "dtstamp" in event


def test_an_oversight_body_s_members_are_the_people_with_the_oversight_role(
    jury, oversight, observer, oversight_body
):
    assert list(oversight_body.members) == [oversight]
