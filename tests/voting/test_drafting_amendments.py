"""Amendments: accepting on consensus, setting aside, and quick votes counted once per juror."""

import pytest

from juries.models import AuditEntry, Membership, Role
from tests.conftest import make_user
from tests.voting.drafting_helpers import WORDING, amend, propose
from voting import amendments, drafting
from voting.models import AmendmentState


@pytest.fixture
def drafting_jury(at_stage):
    return at_stage("drafting")


def test_accepting_an_amendment_makes_a_version_by_its_proposer(
    drafting_jury, juror, other_juror, facilitator
):
    rec = propose(drafting_jury, juror)
    amendment = amendments.accept_amendment(amend(rec, other_juror), facilitator)
    rec.refresh_from_db()
    assert amendment.state == AmendmentState.ACCEPTED and amendment.decided_by == facilitator
    assert rec.statement == "Publish the error rates every month."
    latest = rec.revisions.get(number=2)
    assert latest.author == other_juror
    assert "accepted by consensus" in latest.note
    assert AuditEntry.objects.filter(action="amendment.decide", actor=facilitator).exists()


def test_an_amendment_that_changes_nothing_is_refused(drafting_jury, juror):
    rec = propose(drafting_jury, juror)
    with pytest.raises(drafting.DraftingError):
        amend(rec, juror, statement=WORDING["statement"])


def test_a_rejected_amendment_leaves_the_wording(drafting_jury, juror, other_juror, facilitator):
    rec = propose(drafting_jury, juror)
    amendments.reject_amendment(amend(rec, other_juror), facilitator, "The jury prefers yearly.")
    rec.refresh_from_db()
    assert rec.statement == WORDING["statement"] and rec.revision_count == 1
    assert rec.amendments.get().decision_note == "The jury prefers yearly."


def test_a_quick_vote_counts_each_juror_once_with_their_last_answer(
    drafting_jury, juror, other_juror, facilitator
):
    rec = propose(drafting_jury, juror)
    amendment = amendments.put_amendment_to_vote(amend(rec, other_juror), facilitator)
    amendments.vote_on_amendment(amendment, juror, agree=True)
    amendments.vote_on_amendment(amendment, juror, agree=False)
    amendments.vote_on_amendment(amendment, other_juror, agree=False)
    assert amendments.amendment_counts(amendment) == (0, 2)
    amendments.vote_on_amendment(amendment, juror, agree=True)
    assert amendments.amendment_counts(amendment) == (1, 1)


def test_closing_a_quick_vote_with_more_yes_accepts_and_records_the_counts(
    drafting_jury, juror, other_juror, facilitator
):
    third = make_user("lee@example.org", "Lee")
    Membership.objects.create(jury=drafting_jury, user=third, role=Role.JUROR)
    rec = propose(drafting_jury, juror)
    amendment = amendments.put_amendment_to_vote(amend(rec, other_juror), facilitator)
    for person, agree in ((juror, True), (other_juror, True), (third, False)):
        amendments.vote_on_amendment(amendment, person, agree)
    amendment = amendments.close_amendment_vote(amendment, facilitator)
    rec.refresh_from_db()
    assert amendment.state == AmendmentState.ACCEPTED
    assert "2 for, 1 against" in amendment.decision_note
    assert rec.statement == "Publish the error rates every month."
    assert rec.revisions.get(number=2).author == other_juror


def test_a_tied_quick_vote_is_not_accepted(drafting_jury, juror, other_juror, facilitator):
    rec = propose(drafting_jury, juror)
    amendment = amendments.put_amendment_to_vote(amend(rec, other_juror), facilitator)
    amendments.vote_on_amendment(amendment, juror, True)
    amendments.vote_on_amendment(amendment, other_juror, False)
    amendment = amendments.close_amendment_vote(amendment, facilitator)
    assert amendment.state == AmendmentState.REJECTED
    assert "1 for, 1 against" in amendment.decision_note
    rec.refresh_from_db()
    assert rec.revision_count == 1


def test_only_jurors_vote_and_only_while_the_quick_vote_is_open(
    drafting_jury, juror, other_juror, facilitator, observer
):
    rec = propose(drafting_jury, juror)
    amendment = amend(rec, other_juror)
    with pytest.raises(drafting.DraftingError):
        amendments.vote_on_amendment(amendment, juror, True)  # not put to a vote yet
    amendments.put_amendment_to_vote(amendment, facilitator)
    for person in (facilitator, observer):
        with pytest.raises(drafting.DraftingError):
            amendments.vote_on_amendment(amendment, person, True)
    amendments.close_amendment_vote(amendment, facilitator)
    with pytest.raises(drafting.DraftingError):
        amendments.vote_on_amendment(amendment, juror, True)
    assert not amendment.votes.exists()


def test_a_decided_amendment_cannot_be_decided_again(drafting_jury, juror, facilitator):
    rec = propose(drafting_jury, juror)
    amendment = amendments.reject_amendment(amend(rec, juror), facilitator)
    with pytest.raises(drafting.DraftingError, match="no longer waiting"):
        amendments.accept_amendment(amendment, facilitator)
