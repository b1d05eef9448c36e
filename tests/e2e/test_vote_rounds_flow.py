"""Voting in rounds, in real browsers, by keyboard, with axe-core on every page (issue 15,
acceptance check 4).

Fran (facilitator) holds an indicative vote; Jo and Kim vote; Fran closes it: recommendation 1
reaches the threshold, recommendation 2 does not. Fran reopens drafting for what fell short; Jo
revises recommendation 2 with the indicative results beside the text, and cannot change
recommendation 1. Fran opens the final vote (round 2); both vote; Fran closes it. The report
shows the final round and links the first, whose page shows its own results.

Everything the people do goes through the pages, by keyboard (Tab to a control, then Enter, Space
or the arrow keys). The recommendations are proposed and the stage moves made directly with the
services, as in test_decisions_flow.py.
"""

import re

import pytest

from juries.models import Stage
from juries.stages import change_stage
from voting import drafting
from voting.models import Ballot, Recommendation, Vote, VoteResult

from .conftest import tab_to, type_into
from .test_decisions_flow import follow_link, press_button, replace_text, shows, signed_in

pytestmark = pytest.mark.e2e

FIRST = "Publish the risk model's error rates every year."
SECOND = "Let every claimant see their own risk score."
REVISED = "Let every claimant see their own risk score and challenge it before any decision."
NOTE = "Added the right to challenge, as the vote asked."
RATIONALE = "People flagged wrongly have a right to know."
ADDRESSED_TO = "Department for Work and Welfare"
# Arrow presses from "Strongly support" in a radio group: 1 support, 3 oppose.
SUPPORT, OPPOSE = 1, 3


def facilitator_opens_a_round(browsing, jury, *, indicative):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/vote/")
    if indicative:
        # Tab lands on the chosen radio button of the group ("Final"); the arrow moves it.
        tab_to(page, page.get_by_role("radio", name=re.compile("^Final")))
        page.keyboard.press("ArrowDown")
        assert page.get_by_role("radio", name=re.compile("^Indicative")).is_checked()
    else:  # the next round starts final
        assert page.get_by_role("heading", name="Prepare the next round").is_visible()
        assert page.get_by_role("radio", name=re.compile("^Final")).is_checked()
    press_button(browsing, "Save the rules")
    assert shows(page, "The rules are saved.")
    kind = "Indicative vote" if indicative else "Final vote"
    number = 1 if indicative else 2
    assert page.locator("#vote-round").inner_text() == f"Round {number}: {kind}."
    follow_link(browsing, "Open the vote")  # a confirmation page first
    press_button(browsing, "Open the vote")
    assert shows(page, "The vote is open.")


def juror_votes(browsing, jury, levels):
    """Vote on each recommendation in turn: Tab into its radio group (it lands on the first
    level), move down with the arrow keys, then save the whole sheet."""
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/vote/")
    for number, arrow_downs in enumerate(levels, start=1):
        group = page.get_by_role("group", name=re.compile(rf"^Recommendation {number}:"))
        radio = group.get_by_role("radio", name="Strongly support")
        tab_to(page, radio)
        for _ in range(arrow_downs):
            page.keyboard.press("ArrowDown")
    press_button(browsing, "Save my ballot")
    assert shows(page, "Your ballot is saved. You can change it until the vote closes.")


def facilitator_closes_the_round(browsing, jury, heading):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/vote/")
    follow_link(browsing, "Close the vote")  # a confirmation page first
    press_button(browsing, "Close the vote and count it")
    assert shows(page, "The vote is closed and counted.")
    assert page.get_by_role("heading", level=1).inner_text() == heading


def facilitator_reopens_drafting(browsing, jury):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/vote/")
    short = page.get_by_role("radio", name="The recommendations that did not reach the threshold")
    assert short.is_checked()
    press_button(browsing, "Reopen drafting")
    assert shows(page, "Drafting has reopened.")


def juror_revises_beside_the_results(browsing, jury):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/recommendations/1/")
    assert shows(page, "goes to the final vote as it is")  # reached the threshold: kept as it is
    browsing.goto(f"/juries/{jury.slug}/recommendations/2/")
    follow_link(browsing, "Improve the wording")
    panel = page.locator(
        "section", has=page.get_by_role("heading", name="The indicative vote (round 1)")
    )
    assert panel.get_by_text("Not adopted", exact=True).is_visible()
    assert panel.locator("svg, .chart").first.is_visible()  # the stacked bar
    assert panel.locator("table").count() == 1  # and its numbers as a table
    replace_text(page, page.get_by_label("The recommendation"), REVISED)
    type_into(page, page.get_by_label("What you changed"), NOTE)
    press_button(browsing, "Save the new wording")
    assert shows(page, "Your changes are saved.")


def report_shows_the_final_round_and_links_the_first(browsing, jury):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/report/")
    second = page.locator("#recommendation-2")
    assert second.get_by_text(REVISED).is_visible()
    assert second.get_by_role("heading", name=re.compile("Adopted$")).is_visible()
    earlier = page.locator(
        "section", has=page.get_by_role("heading", name="Earlier rounds of the vote")
    )
    assert earlier.get_by_text("final vote, round 2").is_visible()
    follow_link(browsing, "Results of round 1 (Indicative vote)")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Results of round 1 (Indicative vote)"
    assert page.get_by_role("heading", name="Recommendation 2: Not adopted").is_visible()
    assert shows(page, "Nothing is adopted until the final vote")


def test_an_indicative_vote_revision_beside_the_results_then_a_final_vote(
    browse, jury, facilitator, juror, other_juror
):
    jury.stage = Stage.DRAFTING
    jury.save(update_fields=["stage"])
    drafting.propose(jury, juror, FIRST, RATIONALE, ADDRESSED_TO)
    drafting.propose(jury, other_juror, SECOND, RATIONALE, ADDRESSED_TO)
    jo = signed_in(browse, juror)
    kim = signed_in(browse, other_juror)
    fran = signed_in(browse, facilitator)

    change_stage(jury=jury, to_stage=Stage.DECISION, by=facilitator)
    facilitator_opens_a_round(fran, jury, indicative=True)
    juror_votes(jo, jury, [SUPPORT, OPPOSE])
    juror_votes(kim, jury, [SUPPORT, OPPOSE])
    facilitator_closes_the_round(fran, jury, "Results of round 1 (Indicative vote)")
    first_round = Vote.objects.get(jury=jury, round=1)
    assert first_round.indicative and first_round.is_closed
    sealed = sorted(Ballot.objects.filter(vote=first_round).values_list("level", flat=True))

    facilitator_reopens_drafting(fran, jury)
    jury.refresh_from_db()
    assert jury.stage == Stage.DRAFTING
    juror_revises_beside_the_results(jo, jury)
    assert Recommendation.objects.get(jury=jury, number=2).statement == REVISED

    change_stage(jury=jury, to_stage=Stage.DECISION, by=facilitator)
    facilitator_opens_a_round(fran, jury, indicative=False)
    juror_votes(jo, jury, [SUPPORT, SUPPORT])
    juror_votes(kim, jury, [SUPPORT, SUPPORT])
    facilitator_closes_the_round(fran, jury, "Results of round 2 (Final vote)")
    assert fran.page.get_by_role("link", name="Results of round 1 (Indicative vote)").is_visible()

    # The first round's sealed ballots and results are as they were.
    assert sorted(Ballot.objects.filter(vote=first_round).values_list("level", flat=True)) == sealed
    assert not Ballot.objects.filter(juror__isnull=False).exists()
    assert VoteResult.objects.get(vote=first_round, recommendation__number=2).outcome == (
        "not_adopted"
    )

    change_stage(jury=jury, to_stage=Stage.REPORT, by=facilitator)
    report_shows_the_final_round_and_links_the_first(fran, jury)
