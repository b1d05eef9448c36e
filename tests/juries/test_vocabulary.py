"""The domain words on the models: who the jurors are, who can still be written to, and what
state a jury, an invitation, a draw or a recruitment is in."""

from datetime import timedelta

from django.utils import timezone

from juries.models import (
    Draw,
    DrawState,
    Invitation,
    Jury,
    Membership,
    Recruitment,
    RecruitmentState,
    Role,
    Stage,
    Volunteer,
    VolunteerSource,
)
from tests.conftest import make_user


def users(memberships):
    return {membership.user for membership in memberships}


def test_the_jurors_of_a_jury_are_its_jurors_and_nobody_else(
    jury, make_jury, personas, other_juror
):
    elsewhere = make_jury(slug="elsewhere")
    Membership.objects.create(jury=elsewhere, user=make_user("x@example.org"), role=Role.JUROR)

    assert users(jury.memberships.jurors()) == {personas["juror"], other_juror}


def test_a_juror_whose_account_was_deleted_still_counts_as_a_juror_but_is_not_written_to(
    jury, juror, other_juror
):
    other_juror.is_active = False
    other_juror.deleted_at = timezone.now()
    other_juror.save()

    assert users(jury.memberships.jurors()) == {juror, other_juror}
    assert users(jury.memberships.jurors().reachable()) == {juror}


def test_a_juror_whose_account_is_switched_off_is_not_written_to(jury, juror, other_juror):
    other_juror.is_active = False
    other_juror.save()

    assert users(jury.memberships.jurors().reachable()) == {juror}


def test_a_removed_juror_is_no_longer_a_juror(jury, juror, other_juror):
    Membership.objects.filter(jury=jury, user=other_juror).delete()

    assert users(jury.memberships.jurors()) == {juror}


def test_the_facilitators_of_a_jury_are_only_its_facilitators(jury, personas):
    assert users(jury.memberships.facilitators()) == {personas["facilitator"]}


def test_juries_carry_their_number_of_jurors(jury, make_jury, personas, other_juror):
    empty = make_jury(slug="empty")

    counts = {j.pk: j.juror_count for j in Jury.objects.with_juror_count()}

    assert counts == {jury.pk: 2, empty.pk: 0}


def test_a_jury_says_which_stage_it_is_in():
    assert Jury(stage=Stage.RESPONSE).is_in_response
    assert not Jury(stage=Stage.REPORT).is_in_response
    assert Jury(stage=Stage.DECISION).is_in_decision
    assert not Jury(stage=Stage.DRAFTING).is_in_decision


def test_an_invitation_says_its_state(jury, facilitator):
    now = timezone.now()
    invitation = Invitation(jury=jury, email="n@example.org", expires_at=now + timedelta(days=1))

    def seen():
        return (
            invitation.is_pending,
            invitation.is_expired,
            invitation.is_accepted,
            invitation.is_revoked,
        )

    assert seen() == (True, False, False, False)
    invitation.expires_at = now - timedelta(days=1)
    assert seen() == (False, True, False, False)
    invitation.revoked_at = now
    assert seen() == (False, False, False, True)
    invitation.accepted_at = now
    assert seen() == (False, False, True, False)


def test_a_draw_says_its_state():
    names = ["is_queued", "is_failed", "is_cancelled", "is_computed", "awaits_seed", "is_drawn"]
    states = [
        DrawState.QUEUED,
        DrawState.FAILED,
        DrawState.CANCELLED,
        DrawState.COMPUTED,
        DrawState.PUBLISHED,
        DrawState.DRAWN,
    ]
    for state, name in zip(states, names, strict=True):
        draw = Draw(state=state)
        assert [n for n in names if getattr(draw, n)] == [name]
    assert not any(getattr(Draw(state=DrawState.RUNNING), n) for n in names)


def test_recruitment_and_volunteers_say_their_state():
    assert Recruitment(state=RecruitmentState.CLOSED).is_closed
    assert not Recruitment(state=RecruitmentState.NOT_OPEN).is_closed
    assert Volunteer(source=VolunteerSource.IMPORT).is_imported
    assert not Volunteer(source=VolunteerSource.FORM).is_imported
