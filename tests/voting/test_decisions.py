"""The vote's services: rules fixed once it opens, secret ballots cast and changed until close,
and the count made once when it closes."""

import pytest

from juries.models import AuditEntry, JuryEvent, Membership, Role
from tests.conftest import make_user
from voting import decisions
from voting.models import Ballot, RecommendationState, VoteResult, VoteState
from voting.tally import Level

from .decisions_helpers import add_jurors, cast_all, open_the_vote

S, SUP, LIVE, OPP, SOPP, ABST = (level.value for level in Level)


@pytest.fixture
def recommendations(at_stage, make_recommendation):
    at_stage("decision")
    return [make_recommendation("Publish the error rates."), make_recommendation("Stop it.")]


@pytest.fixture
def vote(jury, facilitator, juror, other_juror, recommendations):
    return open_the_vote(jury, facilitator)


def test_the_rules_start_at_eighty_and_seventy_five_percent(jury, facilitator):
    vote = decisions.prepare_vote(jury, facilitator)
    assert (vote.threshold_percent, vote.quorum_percent, vote.ranking) == (80, 75, False)
    assert decisions.current_vote(jury) == vote


def test_facilitators_set_the_rules_while_the_vote_is_prepared(jury, facilitator):
    decisions.set_rules(jury, facilitator, threshold_percent=66, quorum_percent=50, ranking=True)
    vote = decisions.current_vote(jury)
    assert (vote.threshold_percent, vote.quorum_percent, vote.ranking) == (66, 50, True)
    assert AuditEntry.objects.filter(jury=jury, action="vote.rules").count() == 1


@pytest.mark.parametrize("threshold, quorum", [(0, 75), (80, 101), (80, -5)])
def test_percentages_outside_one_to_a_hundred_are_refused(jury, facilitator, threshold, quorum):
    with pytest.raises(decisions.DecisionError):
        decisions.set_rules(
            jury, facilitator, threshold_percent=threshold, quorum_percent=quorum, ranking=False
        )


def test_the_rules_cannot_change_once_the_vote_is_open(jury, facilitator, vote):
    with pytest.raises(decisions.DecisionError, match="can no longer change"):
        decisions.set_rules(
            jury, facilitator, threshold_percent=50, quorum_percent=10, ranking=True
        )
    vote.refresh_from_db()
    assert (vote.threshold_percent, vote.quorum_percent, vote.ranking) == (80, 75, False)


def test_the_vote_opens_only_at_the_decision_stage(jury, facilitator, at_stage, recommendations):
    at_stage("drafting")
    vote = decisions.prepare_vote(jury, facilitator)
    with pytest.raises(decisions.DecisionError, match="Decision stage"):
        decisions.open_vote(vote, facilitator)
    vote.refresh_from_db()
    assert vote.state == VoteState.PREPARING


def test_the_vote_needs_an_active_recommendation_to_open(jury, facilitator, recommendations):
    for recommendation in recommendations:
        recommendation.state = RecommendationState.WITHDRAWN
        recommendation.save()
    vote = decisions.prepare_vote(jury, facilitator)
    with pytest.raises(decisions.DecisionError, match="no recommendation"):
        decisions.open_vote(vote, facilitator)


def test_opening_tells_every_juror_by_email_and_is_recorded(
    jury, facilitator, juror, other_juror, observer, recommendations, mailoutbox
):
    vote = open_the_vote(jury, facilitator)
    assert vote.state == VoteState.OPEN and vote.opened_by == facilitator
    assert sorted(m.to[0] for m in mailoutbox) == [juror.email, other_juror.email]
    assert "Voting is open" in mailoutbox[0].subject
    assert "/vote/" in mailoutbox[0].body
    assert AuditEntry.objects.filter(jury=jury, action="vote.open").exists()
    assert JuryEvent.objects.filter(jury=jury, kind="vote.opened").exists()


def test_a_vote_opens_once(jury, facilitator, vote):
    with pytest.raises(decisions.DecisionError):
        decisions.open_vote(vote, facilitator)
    with pytest.raises(decisions.DecisionError):
        decisions.prepare_vote(jury, facilitator)


def test_a_juror_casts_a_ballot_and_changes_it_until_close(vote, recommendations, juror):
    first = recommendations[0]
    decisions.cast_ballot(vote, first, juror, SUP, "Good idea", True)
    decisions.cast_ballot(vote, first, juror, OPP, "Changed my mind", False)
    ballot = Ballot.objects.get(vote=vote, recommendation=first, juror=juror)
    assert (ballot.level, ballot.reason, ballot.publish_reason) == (OPP, "Changed my mind", False)
    assert decisions.ballots_of(vote, juror)[first.pk].level == OPP


def test_a_whole_ballot_sheet_is_saved_together_or_not_at_all(
    vote, recommendations, juror, make_jury
):
    first, second = recommendations
    with pytest.raises(decisions.DecisionError):
        decisions.cast_ballots(vote, juror, [(first, SUP, "", False), (second, "maybe", "", False)])
    assert not Ballot.objects.filter(vote=vote).exists()
    decisions.cast_ballots(vote, juror, [(first, SUP, "", False), (second, ABST, "", False)])
    assert Ballot.objects.filter(vote=vote, juror=juror).count() == 2


def test_ballots_are_refused_before_the_vote_opens(jury, facilitator, juror, recommendations):
    vote = decisions.prepare_vote(jury, facilitator)
    with pytest.raises(decisions.DecisionError, match="not opened"):
        decisions.cast_ballot(vote, recommendations[0], juror, SUP)
    assert not Ballot.objects.exists()


def test_ballots_are_refused_after_the_vote_closes(facilitator, vote, recommendations, juror):
    decisions.cast_ballot(vote, recommendations[0], juror, SUP)
    decisions.close_vote(vote, facilitator)
    with pytest.raises(decisions.DecisionError, match="closed"):
        decisions.cast_ballot(vote, recommendations[0], juror, OPP)
    assert Ballot.objects.get().level == SUP


def test_a_ballot_on_another_jurys_recommendation_is_refused(vote, juror, make_jury):
    other = make_jury(slug="other-jury")
    foreign = other.recommendations.create(
        number=1, statement="X", rationale="Y", addressed_to="Z", revision_count=1
    )
    with pytest.raises(decisions.DecisionError, match="not one this jury"):
        decisions.cast_ballot(vote, foreign, juror, SUP)
    assert not Ballot.objects.exists()


def test_a_ballot_on_a_merged_recommendation_is_refused(vote, recommendations, juror):
    recommendations[1].state = RecommendationState.MERGED
    recommendations[1].save()
    with pytest.raises(decisions.DecisionError):
        decisions.cast_ballot(vote, recommendations[1], juror, SUP)


def test_an_unknown_level_is_refused(vote, recommendations, juror):
    with pytest.raises(decisions.DecisionError, match="levels of agreement"):
        decisions.cast_ballot(vote, recommendations[0], juror, "love it")


@pytest.mark.parametrize("role", ["facilitator", "observer", "witness", "oversight"])
def test_only_jurors_cast_ballots(vote, recommendations, personas, role):
    with pytest.raises(decisions.DecisionError, match="Only the jury's jurors"):
        decisions.cast_ballot(vote, recommendations[0], personas[role], SUP)
    assert not Ballot.objects.exists()


def test_turnout_counts_jurors_and_ballots_never_levels(vote, recommendations, juror, other_juror):
    decisions.cast_ballot(vote, recommendations[0], juror, SOPP)
    decisions.cast_ballot(vote, recommendations[1], juror, SUP)
    decisions.cast_ballot(vote, recommendations[0], other_juror, ABST)
    # Overall only while open: counts on each recommendation would show who left which out.
    assert decisions.turnout(vote) == {"voted": 2, "jurors": 2}


def test_turnout_is_published_on_a_jurors_first_ballot_only(
    vote, recommendations, juror, other_juror
):
    decisions.cast_ballot(vote, recommendations[0], juror, SUP)
    decisions.cast_ballot(vote, recommendations[0], juror, OPP)  # a change
    decisions.cast_ballot(vote, recommendations[1], juror, SUP)  # a first on another one
    events = JuryEvent.objects.filter(kind="vote.turnout")
    assert events.count() == 1
    event = events.get()
    assert event.requires == "view_turnout"
    assert set(event.frames) == {"facilitator", "observer", "evaluator"}
    assert event.data == {"vote": vote.pk, "voted": 1, "jurors": 2}
    decisions.cast_ballot(vote, recommendations[1], other_juror, SUP)
    assert events.order_by("seq").last().data == {"vote": vote.pk, "voted": 2, "jurors": 2}


def test_closing_counts_every_level_exactly(jury, facilitator, recommendations):
    jurors = add_jurors(jury, 12)
    vote = open_the_vote(jury, facilitator)
    first, second = recommendations
    cast_all(vote, first, jurors, [S, S, SUP, SUP, SUP, LIVE, LIVE, LIVE, OPP, SOPP, ABST, ABST])
    cast_all(vote, second, jurors[:9], [S, SUP, LIVE, LIVE, OPP, OPP, SOPP, SOPP, ABST])
    decisions.close_vote(vote, facilitator)
    vote.refresh_from_db()
    assert vote.state == VoteState.CLOSED and vote.jurors_at_close == 12
    one, two = VoteResult.objects.filter(vote=vote)
    assert one.counts == {S: 2, SUP: 3, LIVE: 3, OPP: 1, SOPP: 1, ABST: 2}
    assert one.outcome == "adopted"  # 8 of the 10 ballots taking a side: exactly 80%
    assert two.counts == {S: 1, SUP: 1, LIVE: 2, OPP: 2, SOPP: 2, ABST: 1}
    assert two.outcome == "not_adopted"  # 4 of 8; 9 of 12 jurors is exactly the quorum
    assert one.jurors == two.jurors == 12


@pytest.mark.parametrize("threshold, outcome", [(80, "adopted"), (81, "not_adopted")])
def test_exactly_the_threshold_is_adopted_and_one_point_more_is_not(
    jury, facilitator, recommendations, threshold, outcome
):
    jurors = add_jurors(jury, 10)
    vote = open_the_vote(jury, facilitator, threshold_percent=threshold)
    cast_all(vote, recommendations[0], jurors, [SUP] * 4 + [LIVE] * 4 + [OPP, SOPP])
    decisions.close_vote(vote, facilitator)
    assert VoteResult.objects.get(recommendation=recommendations[0]).outcome == outcome


@pytest.mark.parametrize("ballots, outcome", [(5, "no_quorum"), (6, "adopted")])
def test_too_few_jurors_voting_leaves_a_recommendation_undecided(
    jury, facilitator, recommendations, ballots, outcome
):
    jurors = add_jurors(jury, 8)  # a quorum of 75% of 8 jurors is 6 ballots
    vote = open_the_vote(jury, facilitator)
    cast_all(vote, recommendations[0], jurors[:ballots], [S] * ballots)
    decisions.close_vote(vote, facilitator)
    result = VoteResult.objects.get(recommendation=recommendations[0])
    assert result.outcome == outcome
    assert result.counts[S] == ballots
    assert VoteResult.objects.get(recommendation=recommendations[1]).outcome == "no_quorum"


def test_published_reasons_are_kept_in_alphabetical_order_and_the_others_stay_private(
    jury, facilitator, recommendations
):
    a, b, c = add_jurors(jury, 3)
    vote = open_the_vote(jury, facilitator)
    first = recommendations[0]
    decisions.cast_ballot(vote, first, a, SUP, "zebra crossings matter", True)
    decisions.cast_ballot(vote, first, b, OPP, "Apples are red", True)
    decisions.cast_ballot(vote, first, c, S, "my private thought", False)
    decisions.close_vote(vote, facilitator)
    assert VoteResult.objects.get(recommendation=first).reasons == [
        "Apples are red",
        "zebra crossings matter",
    ]


def test_ballots_of_people_who_are_no_longer_jurors_are_not_counted(
    jury, facilitator, recommendations, juror, other_juror
):
    vote = open_the_vote(jury, facilitator)
    decisions.cast_ballot(vote, recommendations[0], juror, SUP)
    decisions.cast_ballot(vote, recommendations[0], other_juror, OPP)
    Membership.objects.filter(jury=jury, user=other_juror).delete()
    decisions.close_vote(vote, facilitator)
    result = VoteResult.objects.get(recommendation=recommendations[0])
    assert (result.jurors, result.counts[SUP], result.counts[OPP]) == (1, 1, 0)


def test_closing_is_recorded_tells_jurors_and_happens_once(
    jury, facilitator, vote, juror, other_juror, mailoutbox
):
    mailoutbox.clear()
    decisions.close_vote(vote, facilitator)
    assert sorted(m.to[0] for m in mailoutbox) == [juror.email, other_juror.email]
    assert all("results" in m.subject for m in mailoutbox)
    assert AuditEntry.objects.filter(jury=jury, action="vote.close").count() == 1
    assert JuryEvent.objects.filter(jury=jury, kind="vote.closed").count() == 1
    with pytest.raises(decisions.DecisionError, match="closed"):
        decisions.close_vote(vote, facilitator)
    assert VoteResult.objects.filter(vote=vote).count() == 2


def test_a_vote_that_never_opened_cannot_close(jury, facilitator, recommendations):
    vote = decisions.prepare_vote(jury, facilitator)
    with pytest.raises(decisions.DecisionError, match="not opened"):
        decisions.close_vote(vote, facilitator)


def test_results_are_shown_with_the_count_behind_them_only_once_closed(
    facilitator, vote, recommendations, juror, other_juror
):
    decisions.cast_ballot(vote, recommendations[0], juror, SUP)
    decisions.cast_ballot(vote, recommendations[0], other_juror, ABST)
    assert decisions.results_of(vote) == []
    vote = decisions.close_vote(vote, facilitator)
    shown = decisions.results_of(vote)[0]
    assert shown["result"].ballots == 2 and shown["result"].sides == 1
    assert ("Support", 1) in [(str(label), n) for label, n in shown["levels"]]
    assert ("I abstain", 1) in [(str(label), n) for label, n in shown["levels"]]


def test_a_juror_with_no_account_left_is_not_emailed(
    jury, facilitator, recommendations, mailoutbox
):
    gone = make_user("gone@example.org", "Gone")
    gone.is_active = False
    gone.save()
    Membership.objects.create(jury=jury, user=gone, role=Role.JUROR)
    open_the_vote(jury, facilitator)
    assert "gone@example.org" not in [m.to[0] for m in mailoutbox]
