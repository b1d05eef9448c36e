"""The domain words on the models: who the jurors are, who can still be written to."""

from django.utils import timezone

from juries.models import Jury, Membership, Role
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
