"""Voting in rounds (issue 15): an indicative vote, drafting reopened with its results beside the
text, then a final vote. Each round keeps its own rules, sealed ballots, results and record; the
result that counts is the latest round's, and only a final round adopts anything.
"""

import pytest
from django.db import connection
from django.urls import reverse

from juries.models import AuditEntry, Stage
from juries.next_step import next_step_for
from juries.permissions import access_for
from juries.stages import StageChangeError, change_stage
from tests.conftest import sign_in_recently
from voting import decisions, drafting, reports, rounds
from voting.models import Ballot, Participation, Recommendation, Vote, VoteResult

from .decisions_helpers import add_jurors, open_the_vote

PRIVATE_REASON = "My neighbour Philippa Quenby told me about her score"


@pytest.fixture
def voters(jury):
    return add_jurors(jury, 4, prefix="round")


@pytest.fixture
def recommendations(at_stage, make_recommendation):
    at_stage("decision")
    return [
        make_recommendation("Publish the error rates."),
        make_recommendation("Let people see their own score."),
    ]


def indicative_round(jury, facilitator, voters, recommendations):
    """Round 1, indicative: the first recommendation reaches the threshold, the second not."""
    first, second = recommendations
    vote = open_the_vote(jury, facilitator, indicative=True, threshold_percent=75)
    for index, juror in enumerate(voters):
        decisions.cast_ballots(
            vote,
            juror,
            [
                (first, "support", PRIVATE_REASON if index == 0 else "", False),
                (second, "oppose" if index < 2 else "support", "", False),
            ],
        )
    return decisions.close_vote(vote, facilitator)


def final_round(jury, facilitator, voters, recommendations):
    change_stage(jury=jury, to_stage=Stage.DECISION, by=facilitator)
    vote = decisions.prepare_vote(jury, facilitator)
    decisions.open_vote(vote, facilitator)
    for juror in voters:
        decisions.cast_ballots(vote, juror, [(r, "support", "", False) for r in recommendations])
    return decisions.close_vote(vote, facilitator)


def test_rounds_are_numbered_per_jury_and_keep_their_own_rules(
    jury, facilitator, voters, recommendations
):
    first = indicative_round(jury, facilitator, voters, recommendations)
    assert (first.round, first.indicative, first.threshold_percent) == (1, True, 75)
    assert not recommendations[0].is_adopted  # an indicative round adopts nothing
    assert list(Recommendation.objects.adopted().filter(jury=jury)) == []

    rounds.reopen_drafting(first, facilitator)
    decisions.set_rules(jury, facilitator, threshold_percent=60, quorum_percent=50, ranking=False)
    second = decisions.current_vote(jury)
    assert (second.round, second.indicative, second.threshold_percent) == (2, False, 60)
    first.refresh_from_db()
    assert (first.threshold_percent, first.quorum_percent) == (75, 75)  # its own, untouched


def test_reopening_needs_a_closed_indicative_round(jury, facilitator, voters, recommendations):
    vote = open_the_vote(jury, facilitator)
    with pytest.raises(decisions.DecisionError):
        rounds.reopen_drafting(vote, facilitator)  # open
    decisions.close_vote(vote, facilitator)
    with pytest.raises(decisions.DecisionError, match="indicative"):
        rounds.reopen_drafting(vote, facilitator)  # a final round
    with pytest.raises(decisions.DecisionError):
        decisions.prepare_vote(jury, facilitator)  # a final round that closed is the last


def test_reopening_moves_the_jury_back_and_opens_only_what_fell_short(
    jury, facilitator, voters, recommendations
):
    first, second = recommendations
    vote = indicative_round(jury, facilitator, voters, recommendations)
    rounds.reopen_drafting(vote, facilitator)
    jury.refresh_from_db()
    assert jury.stage == Stage.DRAFTING
    vote.refresh_from_db()
    assert vote.reopened == [second.pk] and not vote.reopened_all
    assert AuditEntry.objects.filter(jury=jury, action="vote.reopen-drafting").count() == 1
    assert drafting.why_locked(second) == ""
    assert "goes to the final vote as it is" in drafting.why_locked(first)
    drafting.revise(second, voters[0], "Let people see and challenge it.", "R", "Council", "")
    with pytest.raises(drafting.DraftingError):
        drafting.revise(first, voters[0], "Something else.", "R", "Council", "")
    with pytest.raises(drafting.DraftingError):
        drafting.propose(jury, voters[0], "New", "R", "Council")
    with pytest.raises(decisions.DecisionError, match="already"):
        rounds.reopen_drafting(vote, facilitator)


def test_reopening_for_all_lets_every_recommendation_change(
    jury, facilitator, voters, recommendations
):
    vote = indicative_round(jury, facilitator, voters, recommendations)
    rounds.reopen_drafting(vote, facilitator, everything=True)
    jury.refresh_from_db()  # the recommendations' jury is this object
    assert all(drafting.why_locked(r) == "" for r in recommendations)
    drafting.propose(jury, voters[0], "A new one.", "Because.", "Council")


def test_results_are_kept_per_round_and_the_latest_counts(
    jury, facilitator, voters, recommendations
):
    first, second = recommendations
    one = indicative_round(jury, facilitator, voters, recommendations)
    rounds.reopen_drafting(one, facilitator)
    two = final_round(jury, facilitator, voters, recommendations)
    assert two.round == 2 and not two.indicative
    assert VoteResult.objects.filter(recommendation=second).count() == 2
    round_one = VoteResult.objects.get(vote=one, recommendation=second)
    assert round_one.outcome == "not_adopted" and not round_one.current
    assert second.result.vote == two and second.result.outcome == "adopted"
    assert second.is_adopted and first.is_adopted
    assert set(Recommendation.objects.adopted().filter(jury=jury)) == {first, second}
    fetched = Recommendation.objects.filter(jury=jury).with_result().get(pk=second.pk)
    assert fetched.result.vote == two
    # Each round's turnout record stays its own.
    assert Participation.objects.filter(vote=one).count() == 4
    assert Participation.objects.filter(vote=two).count() == 4


def test_round_one_ballots_stay_sealed_through_the_final_round(
    jury, facilitator, voters, recommendations
):
    """Read as an insider would, with raw SQL: no ballot of either round names a juror, keeps a
    private reason or a time; the first round's are untouched by the second."""
    one = indicative_round(jury, facilitator, voters, recommendations)
    sealed = sorted(
        Ballot.objects.filter(vote=one).values_list("recommendation_id", "level", "reason")
    )
    rounds.reopen_drafting(one, facilitator)
    two = final_round(jury, facilitator, voters, recommendations)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT vote_id, juror_id, reason, cast_at, changed_at FROM voting_ballot"  # noqa: S608
        )
        rows = cursor.fetchall()
    assert {row[0] for row in rows} == {one.pk, two.pk}
    for _vote, juror, reason, cast_at, changed_at in rows:
        assert juror is None and cast_at is None and changed_at is None
        assert PRIVATE_REASON not in reason
    assert (
        sorted(Ballot.objects.filter(vote=one).values_list("recommendation_id", "level", "reason"))
        == sealed
    )


def test_the_report_waits_for_the_final_round_and_shows_it(
    client, jury, facilitator, voters, recommendations
):
    one = indicative_round(jury, facilitator, voters, recommendations)
    with pytest.raises(StageChangeError, match="indicative"):
        change_stage(jury=jury, to_stage=Stage.REPORT, by=facilitator)
    rounds.reopen_drafting(one, facilitator)
    two = final_round(jury, facilitator, voters, recommendations)
    content = reports.build_content(jury)
    assert content["vote"]["opened"] == reports._day(two.opened_at)
    assert [rec["result"]["outcome"] for rec in content["recommendations"]] == [
        "adopted",
        "adopted",
    ]
    sign_in_recently(client, facilitator)
    page = client.get(reverse("voting:report", args=[jury.slug])).text
    assert "Earlier rounds of the vote" in page
    assert reverse("voting:vote-round", args=[jury.slug, 1]) in page


def test_each_round_has_its_own_results_page(client, jury, facilitator, voters, recommendations):
    one = indicative_round(jury, facilitator, voters, recommendations)
    rounds.reopen_drafting(one, facilitator)
    final_round(jury, facilitator, voters, recommendations)
    sign_in_recently(client, voters[0])
    first = client.get(reverse("voting:vote-round", args=[jury.slug, 1]))
    assert first.status_code == 200
    assert "Results of round 1 (Indicative vote)" in first.text
    assert "Not adopted" in first.text
    latest = client.get(reverse("voting:vote-results", args=[jury.slug])).text
    assert "Results of round 2 (Final vote)" in latest
    assert reverse("voting:vote-round", args=[jury.slug, 1]) in latest
    assert client.get(reverse("voting:vote-round", args=[jury.slug, 3])).status_code == 404


def test_the_revision_page_shows_the_indicative_results_beside_the_text(
    client, jury, facilitator, voters, recommendations
):
    one = indicative_round(jury, facilitator, voters, recommendations)
    rounds.reopen_drafting(one, facilitator)
    sign_in_recently(client, voters[0])
    page = client.get(reverse("voting:recommendation-revise", args=[jury.slug, 2])).text
    assert "The indicative vote (round 1)" in page
    assert "Not adopted" in page
    assert "<table" in page  # the chart's numbers, as a table


def test_facilitators_reopen_drafting_from_the_vote_page(
    client, jury, facilitator, voters, recommendations
):
    indicative_round(jury, facilitator, voters, recommendations)
    sign_in_recently(client, facilitator)
    page = client.get(reverse("voting:vote", args=[jury.slug])).text
    assert "Reopen drafting" in page
    response = client.post(reverse("voting:vote-reopen", args=[jury.slug]), {"scope": "all"})
    assert response.status_code == 302
    vote = Vote.objects.get(jury=jury, round=1)
    assert vote.reopened_all and vote.is_reopened
    page = client.get(reverse("voting:vote", args=[jury.slug])).text
    assert "Prepare the next round" in page


def step_of(person, jury):
    jury.refresh_from_db()
    return next_step_for(person, access_for(person, jury))


def test_next_steps_lead_from_the_indicative_vote_to_the_final_one(
    jury, facilitator, voters, recommendations
):
    one = indicative_round(jury, facilitator, voters, recommendations)
    step = step_of(facilitator, jury)
    assert step.title == "The indicative vote has closed"
    assert step.url == reverse("voting:vote", args=[jury.slug])

    rounds.reopen_drafting(one, facilitator)
    step = step_of(voters[0], jury)
    assert step.title == "Revise the recommendations before the final vote"
    assert "Revise the 1 recommendation that did not reach the threshold" in step.text
    step = step_of(facilitator, jury)
    assert step.title == "Open the final vote"
    assert "move the jury to the Decision stage" in step.text

    change_stage(jury=jury, to_stage=Stage.DECISION, by=facilitator)
    step = step_of(facilitator, jury)
    assert (step.title, step.text) == (
        "Open the final vote",
        "The jurors have revised the recommendations. Open the final vote.",
    )
    vote = decisions.prepare_vote(jury, facilitator)
    decisions.open_vote(vote, facilitator)
    assert step_of(voters[0], jury).title == "Cast your vote"
    assert step_of(facilitator, jury).title == "The vote is open"


def test_drafting_may_reopen_while_the_next_round_is_being_prepared(
    jury, facilitator, voters, recommendations
):
    one = indicative_round(jury, facilitator, voters, recommendations)
    second = decisions.prepare_vote(jury, facilitator)
    assert (second.round, second.state) == (2, "preparing")
    rounds.reopen_drafting(one, facilitator)
    assert decisions.current_vote(jury) == second  # no third round
    assert drafting.revising_after(jury) == one


def test_the_opening_email_says_which_kind_of_round_it_is(
    jury, facilitator, voters, recommendations, mailoutbox
):
    one = indicative_round(jury, facilitator, voters, recommendations)
    opened = [m for m in mailoutbox if m.subject.startswith("Voting is open")]
    assert opened and all("This is an indicative vote" in m.body for m in opened)
    mailoutbox.clear()
    rounds.reopen_drafting(one, facilitator)
    final_round(jury, facilitator, voters, recommendations)
    opened = [m for m in mailoutbox if m.subject.startswith("Voting is open")]
    assert opened and all("This is the final vote (round 2)" in m.body for m in opened)


def test_the_draft_report_gives_no_results_of_an_indicative_round(
    jury, facilitator, voters, recommendations
):
    indicative_round(jury, facilitator, voters, recommendations)
    content = reports.build_content(jury)
    assert content["vote"] is None
    assert all(rec["result"] is None for rec in content["recommendations"])
