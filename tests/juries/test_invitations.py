"""Inviting people to a jury: reading a pasted list, sending, resending, withdrawing, accepting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from juries import audit, invitations
from juries.invitations import InvitationError, invite_many, read_lines
from juries.models import AuditEntry, Invitation, InvitationState, Membership, Role


@pytest.fixture
def make_invitation(jury, facilitator):
    def make(email="sam@example.org", role=Role.JUROR, **fields):
        return Invitation.objects.create(
            jury=jury, email=email, role=role, invited_by=facilitator, **fields
        )

    return make


def audit_actions(jury):
    return list(AuditEntry.objects.filter(jury=jury).values_list("action", flat=True))


# --- read_lines ------------------------------------------------------------------------------


def test_each_line_is_an_address_with_the_default_role(db):
    lines, problems = read_lines("sam@example.org\nalex@example.org\n", Role.JUROR)

    assert problems == []
    assert [(line.number, line.email, line.role) for line in lines] == [
        (1, "sam@example.org", Role.JUROR),
        (2, "alex@example.org", Role.JUROR),
    ]


def test_a_role_after_a_comma_overrides_the_default(db):
    text = (
        "sam@example.org, witness\nalex@example.org,Observer\npat@example.org, oversight member\n"
    )

    lines, problems = read_lines(text, Role.JUROR)

    assert problems == []
    assert [line.role for line in lines] == [Role.WITNESS, Role.OBSERVER, Role.OVERSIGHT]


def test_addresses_are_read_in_lower_case(db):
    lines, _problems = read_lines("  Sam@Example.ORG  ", Role.JUROR)

    assert [line.email for line in lines] == ["sam@example.org"]


def test_a_header_row_is_skipped(db):
    lines, problems = read_lines("Email,Role\nsam@example.org,juror\n", Role.WITNESS)

    assert problems == []
    assert [(line.number, line.email) for line in lines] == [(2, "sam@example.org")]


def test_blank_lines_are_ignored_but_line_numbers_stay_true(db):
    lines, problems = read_lines("sam@example.org\n\nnot-an-address\n", Role.JUROR)

    assert [line.number for line in lines] == [1]
    assert [number for number, _text, _reason in problems] == [3]


def test_a_line_that_is_not_an_email_address_is_reported_with_its_number(db):
    _lines, problems = read_lines("sam@example.org\nsam at example dot org\n", Role.JUROR)

    assert len(problems) == 1
    number, text, reason = problems[0]
    assert number == 2
    assert text == "sam at example dot org"
    assert "not an email address" in reason


def test_an_unknown_role_is_reported_with_its_number_and_the_roles_to_use(db):
    lines, problems = read_lines("sam@example.org\nalex@example.org, judge\n", Role.JUROR)

    assert [line.email for line in lines] == ["sam@example.org"]
    number, text, reason = problems[0]
    assert number == 2
    assert text == "alex@example.org, judge"
    assert "judge" in reason
    assert "facilitator" in reason
    assert "juror" in reason


# --- invite_many and invite ------------------------------------------------------------------


def test_inviting_a_list_creates_an_invitation_and_sends_one_email_each(
    jury, facilitator, mailoutbox
):
    lines, _problems = read_lines("sam@example.org\nalex@example.org, witness\n", Role.JUROR)

    result = invite_many(jury=jury, lines=lines, by=facilitator)

    assert result.problems == []
    assert {(i.email, i.role) for i in jury.invitations.all()} == {
        ("sam@example.org", Role.JUROR),
        ("alex@example.org", Role.WITNESS),
    }
    assert sorted(message.to[0] for message in mailoutbox) == [
        "alex@example.org",
        "sam@example.org",
    ]
    for message in mailoutbox:
        invitation = jury.invitations.get(email=message.to[0])
        assert invitation.get_absolute_url() in message.body
        assert jury.title in message.subject
        assert invitation.times_sent == 1
        assert invitation.is_pending


def test_inviting_records_who_invited_whom_in_the_audit_log(jury, facilitator, mailoutbox):
    lines, _problems = read_lines("sam@example.org\n", Role.JUROR)

    invite_many(jury=jury, lines=lines, by=facilitator)

    entry = AuditEntry.objects.get(jury=jury, action="invitation.create")
    invitation = jury.invitations.get()
    assert entry.actor == facilitator
    assert (entry.target_type, entry.target_id) == ("invitation", str(invitation.pk))
    # Observers read the audit log, and only facilitators may see addresses.
    assert "sam@example.org" not in entry.summary + entry.target_label


def test_an_address_listed_twice_is_invited_once_and_the_repeat_reported(
    jury, facilitator, mailoutbox
):
    lines, _problems = read_lines(
        "sam@example.org\nalex@example.org\nSAM@example.org\n", Role.JUROR
    )

    result = invite_many(jury=jury, lines=lines, by=facilitator)

    assert jury.invitations.filter(email="sam@example.org").count() == 1
    assert len(mailoutbox) == 2
    assert [(number, reason) for number, _text, reason in result.problems] == [
        (3, "This address appears more than once in the list.")
    ]


def test_an_existing_member_is_reported_not_invited(jury, facilitator, juror, mailoutbox):
    lines, _problems = read_lines(f"{juror.email.upper()}\n", Role.JUROR)

    result = invite_many(jury=jury, lines=lines, by=facilitator)

    assert result.invited == []
    assert "already a member" in result.problems[0][2]
    assert not jury.invitations.exists()
    assert mailoutbox == []


def test_someone_with_an_invitation_waiting_is_reported_not_invited_again(
    jury, facilitator, make_invitation, mailoutbox
):
    make_invitation("sam@example.org")
    lines, _problems = read_lines("sam@example.org\n", Role.WITNESS)

    result = invite_many(jury=jury, lines=lines, by=facilitator)

    assert result.invited == []
    assert "already has an invitation" in result.problems[0][2]
    assert jury.invitations.count() == 1
    assert mailoutbox == []


def test_someone_whose_invitation_expired_can_be_invited_afresh(
    jury, facilitator, make_invitation, mailoutbox
):
    make_invitation("sam@example.org", expires_at=timezone.now() - timedelta(days=1))
    lines, _problems = read_lines("sam@example.org\n", Role.JUROR)

    result = invite_many(jury=jury, lines=lines, by=facilitator)

    assert [i.email for i in result.invited] == ["sam@example.org"]
    assert len(mailoutbox) == 1
    renewed = jury.invitations.get()  # the expired one, renewed rather than duplicated
    assert renewed.is_pending


def test_inviting_one_person_with_a_bad_address_says_why(jury, facilitator, mailoutbox):
    with pytest.raises(InvitationError, match="not an email address"):
        invitations.invite(jury=jury, email="sam", role=Role.JUROR, by=facilitator)

    assert not jury.invitations.exists()
    assert mailoutbox == []


def test_inviting_one_person_sends_them_the_invitation(jury, facilitator, mailoutbox):
    invitation = invitations.invite(
        jury=jury, email="sam@example.org", role=Role.OBSERVER, by=facilitator
    )

    assert invitation.role == Role.OBSERVER
    assert invitation.invited_by == facilitator
    assert [message.to for message in mailoutbox] == [["sam@example.org"]]


# --- resend ----------------------------------------------------------------------------------


def test_resending_sends_the_same_link_again(jury, facilitator, make_invitation, mailoutbox):
    invitation = make_invitation()

    invitations.resend(invitation=invitation, by=facilitator)

    invitation.refresh_from_db()
    assert invitation.times_sent == 1
    assert len(mailoutbox) == 1
    assert invitation.get_absolute_url() in mailoutbox[0].body
    assert audit_actions(jury) == ["invitation.resend"]


def test_resending_an_expired_invitation_makes_it_usable_again(
    jury, facilitator, make_invitation, mailoutbox
):
    invitation = make_invitation(expires_at=timezone.now() - timedelta(days=2))
    assert invitation.state == InvitationState.EXPIRED

    invitations.resend(invitation=invitation, by=facilitator)

    invitation.refresh_from_db()
    assert invitation.state == InvitationState.PENDING
    assert invitation.expires_at > timezone.now() + timedelta(days=1)
    assert len(mailoutbox) == 1


def test_an_accepted_invitation_cannot_be_resent(
    jury, facilitator, make_invitation, make_person, mailoutbox
):
    invitation = make_invitation()
    invitations.accept(invitation=invitation, user=make_person("sam@example.org", "Sam"))
    invitation.refresh_from_db()

    with pytest.raises(InvitationError):
        invitations.resend(invitation=invitation, by=facilitator)

    assert mailoutbox == []
    assert "invitation.resend" not in audit_actions(jury)


def test_a_withdrawn_invitation_cannot_be_resent(jury, facilitator, make_invitation, mailoutbox):
    invitation = make_invitation(revoked_at=timezone.now())

    with pytest.raises(InvitationError):
        invitations.resend(invitation=invitation, by=facilitator)

    assert mailoutbox == []


# --- revoke ----------------------------------------------------------------------------------


def test_withdrawing_an_invitation_makes_its_link_useless(
    jury, facilitator, make_invitation, make_person
):
    invitation = make_invitation()

    invitations.revoke(invitation=invitation, by=facilitator)

    invitation.refresh_from_db()
    assert invitation.state == InvitationState.REVOKED
    entry = AuditEntry.objects.get(jury=jury, action="invitation.revoke")
    assert entry.actor == facilitator
    with pytest.raises(InvitationError):
        invitations.accept(invitation=invitation, user=make_person("sam@example.org", "Sam"))


def test_an_expired_invitation_can_be_withdrawn(facilitator, make_invitation):
    invitation = make_invitation(expires_at=timezone.now() - timedelta(days=1))

    invitations.revoke(invitation=invitation, by=facilitator)

    invitation.refresh_from_db()
    assert invitation.state == InvitationState.REVOKED


def test_an_accepted_invitation_cannot_be_withdrawn(
    jury, facilitator, make_invitation, make_person
):
    invitation = make_invitation()
    invitations.accept(invitation=invitation, user=make_person("sam@example.org", "Sam"))
    invitation.refresh_from_db()

    with pytest.raises(InvitationError):
        invitations.revoke(invitation=invitation, by=facilitator)

    assert "invitation.revoke" not in audit_actions(jury)


# --- accept ----------------------------------------------------------------------------------


def test_accepting_makes_the_invited_person_a_member_with_the_invited_role(
    jury, make_invitation, make_person
):
    invitation = make_invitation("sam@example.org", Role.WITNESS)
    sam = make_person("sam@example.org", "Sam")

    membership = invitations.accept(invitation=invitation, user=sam)

    assert membership.jury == jury
    assert membership.user == sam
    assert membership.role == Role.WITNESS
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.ACCEPTED
    assert invitation.accepted_by == sam
    entry = AuditEntry.objects.get(jury=jury, action="invitation.accept")
    assert entry.actor == sam
    [shown] = audit.for_display([entry], jury)
    assert shown.text == "Sam accepted the invitation and joined as Witness."


def test_an_invitation_forwarded_to_someone_else_cannot_be_used(jury, make_invitation, outsider):
    invitation = make_invitation("sam@example.org")

    with pytest.raises(InvitationError, match="different email address"):
        invitations.accept(invitation=invitation, user=outsider)

    assert not Membership.objects.filter(jury=jury, user=outsider).exists()
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert "invitation.accept" not in audit_actions(jury)


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"expires_at": timezone.now() - timedelta(minutes=1)}, id="expired"),
        pytest.param({"revoked_at": timezone.now()}, id="withdrawn"),
    ],
)
def test_an_expired_or_withdrawn_invitation_cannot_be_accepted(
    jury, make_invitation, make_person, fields
):
    invitation = make_invitation("sam@example.org", **fields)
    sam = make_person("sam@example.org", "Sam")

    with pytest.raises(InvitationError, match="can no longer be used"):
        invitations.accept(invitation=invitation, user=sam)

    assert not Membership.objects.filter(jury=jury, user=sam).exists()


def test_a_used_invitation_cannot_be_used_again(jury, make_invitation, make_person):
    invitation = make_invitation("sam@example.org")
    sam = make_person("sam@example.org", "Sam")
    invitations.accept(invitation=invitation, user=sam)

    with pytest.raises(InvitationError, match="can no longer be used"):
        invitations.accept(invitation=invitation, user=sam)

    assert Membership.objects.filter(jury=jury, user=sam).count() == 1
    assert audit_actions(jury).count("invitation.accept") == 1


def test_accepting_a_second_invitation_with_the_same_role_keeps_one_membership(
    jury, facilitator, make_invitation, make_person
):
    sam = make_person("sam@example.org", "Sam")
    invitations.accept(invitation=make_invitation("sam@example.org"), user=sam)
    # The facilitator, not seeing Sam accept, invites the same address again.
    second = make_invitation("sam@example.org")

    membership = invitations.accept(invitation=second, user=sam)

    assert Membership.objects.filter(jury=jury, user=sam).count() == 1
    assert membership.role == Role.JUROR


def test_accepting_an_invitation_for_a_different_role_does_not_change_the_role(
    jury, juror, make_invitation
):
    invitation = make_invitation(juror.email, Role.FACILITATOR)

    with pytest.raises(InvitationError, match="already a juror"):
        invitations.accept(invitation=invitation, user=juror)

    assert Membership.objects.get(jury=jury, user=juror).role == Role.JUROR
