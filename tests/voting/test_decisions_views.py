"""The vote's pages: rules before voting, opening and closing with a confirmed identity, the ballot
sheet, results after close, and the panel and banner other pages show."""

import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from juries.charts import WIDTH
from juries.models import Membership, Role
from juries.permissions import access_for
from tests.chart_helpers import svg_of, table_rows, widths
from tests.conftest import sign_in_recently
from voting import decisions
from voting.models import Ballot, VoteResult, VoteState

from .decisions_helpers import add_jurors, open_the_vote


@pytest.fixture
def recommendations(at_stage, make_recommendation):
    at_stage("decision")
    return [
        make_recommendation("Publish the error rates every year."),
        make_recommendation("Let people see their own score."),
    ]


@pytest.fixture
def vote(jury, facilitator, juror, other_juror, recommendations):
    return open_the_vote(jury, facilitator)


def url(name, jury):
    return reverse(f"voting:{name}", args=[jury.slug])


def sheet(recommendations, *levels, **extra):
    """The ballot form's fields: one level per recommendation ("" for none)."""
    data = {}
    for recommendation, level in zip(recommendations, levels, strict=True):
        data[f"rec-{recommendation.pk}-level"] = level
        data[f"rec-{recommendation.pk}-reason"] = ""
    return {**data, **extra}


# --- Rules and opening -----------------------------------------------------------------------


def test_jurors_read_the_rules_in_plain_words_before_voting_opens(
    client, jury, facilitator, juror, recommendations
):
    decisions.set_rules(jury, facilitator, threshold_percent=70, quorum_percent=60, ranking=True)
    client.force_login(juror)
    page = client.get(url("vote", jury)).text
    assert "What counts as adopted" in page
    assert "at least 70% of the ballots that take a side" in page
    assert "at least 7 must be one of those three" in page
    assert "at least 60% of the jurors" in page
    assert "put the adopted recommendations in order of priority" in page
    assert "Voting has not opened yet" in page
    assert 'type="radio"' not in page


def test_facilitators_set_the_rules_on_the_vote_page(client, jury, facilitator, recommendations):
    client.force_login(facilitator)
    assert 'name="threshold_percent"' in client.get(url("vote", jury)).text
    data = {"threshold_percent": "67", "quorum_percent": "50", "ranking": "on"}
    response = client.post(url("vote-rules", jury), data, follow=True)
    assert "The rules are saved" in response.text
    vote = decisions.current_vote(jury)
    assert (vote.threshold_percent, vote.quorum_percent, vote.ranking) == (67, 50, True)


def test_rules_out_of_range_are_shown_again_with_what_was_typed(
    client, jury, facilitator, recommendations
):
    client.force_login(facilitator)
    response = client.post(
        url("vote-rules", jury), {"threshold_percent": "0", "quorum_percent": "55"}
    )
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert 'value="55"' in response.text
    assert decisions.current_vote(jury) is None


def test_rules_sent_after_the_vote_opened_are_refused_with_a_message(
    client, jury, facilitator, vote
):
    client.force_login(facilitator)
    data = {"threshold_percent": "50", "quorum_percent": "50"}
    response = client.post(url("vote-rules", jury), data, follow=True)
    assert "rules can no longer change" in response.text
    vote.refresh_from_db()
    assert vote.threshold_percent == 80


def test_a_facilitator_confirms_the_rules_and_opens_the_vote(
    client, jury, facilitator, juror, recommendations, mailoutbox
):
    sign_in_recently(client, facilitator)
    page = client.get(url("vote-open", jury))
    assert page.status_code == 200
    assert "Open the vote?" in page.text and "at least 80%" in page.text
    assert "Publish the error rates every year." in page.text
    response = client.post(url("vote-open", jury), follow=True)
    assert "The vote is open" in response.text
    assert decisions.current_vote(jury).state == VoteState.OPEN
    assert [m.to[0] for m in mailoutbox] == [juror.email]


@pytest.mark.parametrize("method", ["get", "post"])
def test_opening_asks_a_facilitator_to_confirm_who_they_are_first(
    client, jury, facilitator, recommendations, method
):
    client.force_login(facilitator)  # signed in, but not recently confirmed
    response = getattr(client, method)(url("vote-open", jury))
    assert response.status_code == 302
    assert "reauthenticate" in response.url
    assert decisions.current_vote(jury) is None


def test_opening_before_the_decision_stage_is_refused_with_a_message(
    client, jury, facilitator, at_stage, recommendations
):
    at_stage("drafting")
    sign_in_recently(client, facilitator)
    assert "moved to the Decision stage" in client.get(url("vote-open", jury)).text
    response = client.post(url("vote-open", jury), follow=True)
    assert "moved to the Decision stage" in response.text
    assert decisions.current_vote(jury).state == VoteState.PREPARING


# --- Ballots ---------------------------------------------------------------------------------


def test_the_ballot_has_a_fieldset_per_recommendation_with_six_choices(
    client, jury, vote, recommendations, juror
):
    client.force_login(juror)
    page = client.get(url("vote", jury)).text
    assert page.count("<fieldset") == 2
    assert page.count('type="radio"') == 12
    for label in ("Strongly support", "Can live with it", "Strongly oppose", "I abstain"):
        assert label in page
    assert "Recommendation 1: Publish the error rates every year." in page
    assert recommendations[0].get_absolute_url() in page
    assert "Publish my reason without my name" in page


def test_a_juror_saves_their_whole_ballot_at_once_and_can_change_it(
    client, jury, vote, recommendations, juror
):
    first, second = recommendations
    client.force_login(juror)
    data = sheet(recommendations, "support", "abstain")
    data[f"rec-{first.pk}-reason"] = "It is fair."
    data[f"rec-{first.pk}-publish_reason"] = "on"
    response = client.post(url("vote-ballot", jury), data, follow=True)
    assert "Your ballot is saved. You can change it until the vote closes." in response.text
    mine = decisions.ballots_of(vote, juror)
    assert (mine[first.pk].level, mine[first.pk].reason, mine[first.pk].publish_reason) == (
        "support",
        "It is fair.",
        True,
    )
    assert mine[second.pk].level == "abstain"
    assert f'value="support" id="id_rec-{first.pk}-level_1" checked' in response.text
    client.post(url("vote-ballot", jury), sheet(recommendations, "oppose", "abstain"))
    assert decisions.ballots_of(vote, juror)[first.pk].level == "oppose"
    assert Ballot.objects.filter(juror=juror).count() == 2


def test_a_juror_may_vote_on_some_recommendations_now_and_the_rest_later(
    client, jury, vote, recommendations, juror
):
    client.force_login(juror)
    response = client.post(
        url("vote-ballot", jury), sheet(recommendations, "support", ""), follow=True
    )
    assert "You have not voted on 1 recommendation yet" in response.text
    assert Ballot.objects.filter(juror=juror).count() == 1


def test_errors_keep_every_choice_and_save_nothing(client, jury, vote, recommendations, juror):
    first, second = recommendations
    client.force_login(juror)
    data = sheet(recommendations, "strongly_oppose", "")
    data[f"rec-{second.pk}-reason"] = "A reason typed before choosing"
    response = client.post(url("vote-ballot", jury), data)
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "Recommendation 2: Choose how far you agree, or remove your reason." in response.text
    assert f'value="strongly_oppose" id="id_rec-{first.pk}-level_4" checked' in response.text
    assert "A reason typed before choosing" in response.text
    assert not Ballot.objects.exists()


def test_the_error_summary_links_to_the_first_choice_of_the_recommendation_in_error(
    client, jury, vote, recommendations, juror
):
    second = recommendations[1]
    client.force_login(juror)
    data = sheet(recommendations, "support", "")
    data[f"rec-{second.pk}-reason"] = "A reason typed before choosing"
    page = client.post(url("vote-ballot", jury), data).text
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    first_choice = f"id_rec-{second.pk}-level_0"
    assert f'<a href="#{first_choice}">Recommendation 2: Choose how far' in summary
    # The link's target takes keyboard focus: it is the first radio button of that group.
    assert f'type="radio" name="rec-{second.pk}-level" value="strongly_support"' in page
    assert re.search(rf'<input type="radio"[^>]* id="{first_choice}"', page)


@pytest.mark.parametrize("level", ["loves_it", "<script>", "strongly_support " * 3])
def test_an_unknown_level_is_refused_without_an_error_page(
    client, jury, vote, recommendations, juror, level
):
    client.force_login(juror)
    response = client.post(url("vote-ballot", jury), sheet(recommendations, level, ""))
    assert response.status_code == 400
    assert "Choose one of the levels of agreement shown" in response.text
    assert not Ballot.objects.exists()


def test_another_jurys_recommendation_cannot_be_voted_on_through_this_one(
    client, jury, vote, recommendations, juror, make_jury
):
    other = make_jury(slug="other-jury", stage="decision")
    foreign = other.recommendations.create(
        number=1, statement="X", rationale="Y", addressed_to="Z", revision_count=1
    )
    client.force_login(juror)
    response = client.post(url("vote-ballot", jury), {f"rec-{foreign.pk}-level": "support"})
    assert response.status_code == 400
    assert "Choose how far you agree with at least one recommendation" in response.text
    assert not Ballot.objects.exists()


def test_an_empty_ballot_is_refused_with_a_message(client, jury, vote, recommendations, juror):
    client.force_login(juror)
    response = client.post(url("vote-ballot", jury), sheet(recommendations, "", ""))
    assert response.status_code == 400
    assert "at least one recommendation" in response.text


def test_a_ballot_sent_after_the_vote_closed_is_refused_with_a_message(
    client, jury, facilitator, vote, recommendations, juror
):
    decisions.cast_ballot(vote, recommendations[0], juror, "support")
    decisions.close_vote(vote, facilitator)
    client.force_login(juror)
    response = client.post(
        url("vote-ballot", jury), sheet(recommendations, "oppose", "oppose"), follow=True
    )
    assert "not open, so your ballot was not saved" in response.text
    assert Ballot.objects.get().level == "support"


@pytest.mark.parametrize("role", ["facilitator", "observer"])
def test_facilitators_and_observers_cannot_cast_a_ballot(
    client, jury, vote, recommendations, personas, role
):
    client.force_login(personas[role])
    response = client.post(url("vote-ballot", jury), sheet(recommendations, "support", ""))
    assert response.status_code == 403
    assert not Ballot.objects.exists()


# --- Turnout, closing and results ------------------------------------------------------------


def test_facilitators_and_observers_see_turnout_while_the_vote_is_open(
    client, jury, vote, recommendations, juror, observer
):
    decisions.cast_ballot(vote, recommendations[0], juror, "strongly_oppose")
    client.force_login(observer)
    page = client.get(url("vote", jury)).text
    assert '<span id="turnout-voted">1</span> of <span id="turnout-jurors">2</span>' in page
    assert "turnout-rec-" not in page and "on each recommendation</caption>" not in page
    assert "Strongly oppose" not in page
    assert "Close the vote" not in page  # observers watch; facilitators close


def test_a_facilitator_confirms_and_closes_the_vote(
    client, jury, facilitator, vote, recommendations, juror
):
    decisions.cast_ballot(vote, recommendations[0], juror, "support")
    sign_in_recently(client, facilitator)
    assert "Close the vote" in client.get(url("vote", jury)).text
    page = client.get(url("vote-close", jury))
    assert "Close the vote?" in page.text and "This cannot be undone" in page.text
    response = client.post(url("vote-close", jury))
    assert response.url == url("vote-results", jury)
    assert decisions.current_vote(jury).state == VoteState.CLOSED


@pytest.mark.parametrize("method", ["get", "post"])
def test_closing_asks_a_facilitator_to_confirm_who_they_are_and_closes_nothing_until_then(
    client, jury, facilitator, vote, method
):
    client.force_login(facilitator)
    response = getattr(client, method)(url("vote-close", jury))
    assert response.status_code == 302
    assert "reauthenticate" in response.url
    vote.refresh_from_db()
    assert vote.state == VoteState.OPEN
    assert not VoteResult.objects.exists()


def test_closing_a_closed_vote_says_so(client, jury, facilitator, vote):
    decisions.close_vote(vote, facilitator)
    sign_in_recently(client, facilitator)
    assert "The vote is not open" in client.get(url("vote-close", jury)).text
    response = client.post(url("vote-close", jury), follow=True)
    assert "The vote has closed." in response.text


def test_results_stay_hidden_until_the_vote_closes(client, jury, vote, recommendations, juror):
    decisions.cast_ballot(vote, recommendations[0], juror, "support")
    client.force_login(juror)
    page = client.get(url("vote-results", jury)).text
    assert "shown once the facilitators close the vote" in page
    assert "<table" not in page


def test_results_show_the_exact_count_at_each_level_and_the_outcome_in_words(
    client, jury, facilitator, recommendations, observer
):
    jurors = add_jurors(jury, 5)
    vote = open_the_vote(jury, facilitator)
    first = recommendations[0]
    for person, level, reason in zip(
        jurors,
        ["strongly_support", "support", "support", "can_live_with_it", "oppose"],
        ["", "Fair to people.", "", "", "Too costly."],
        strict=True,
    ):
        decisions.cast_ballot(vote, first, person, level, reason, True)
    decisions.close_vote(vote, facilitator)
    client.force_login(observer)
    page = client.get(url("vote-results", jury)).text
    assert "Recommendation 1: Adopted" in page
    assert "Recommendation 2: Not decided: too few jurors voted" in page
    assert '<th scope="row">Strongly support</th><td>1</td>' in page
    assert '<th scope="row">Support</th><td>2</td>' in page
    assert '<th scope="row">Can live with it</th><td>1</td>' in page
    assert '<th scope="row">Oppose</th><td>1</td>' in page
    assert '<th scope="row">Strongly oppose</th><td>0</td>' in page
    assert '<th scope="row">I abstain</th><td>0</td>' in page
    assert "Turnout: 5 of 5 jurors voted (100%)" in page
    assert "Accepting: 4 of the 5 ballots that took a side (80%), reaching the 80% needed" in page
    assert page.index("Fair to people.") < page.index("Too costly.")


def test_results_open_with_how_many_were_adopted_and_a_bar_per_recommendation(
    client, jury, facilitator, recommendations, observer
):
    jurors = add_jurors(jury, 5)
    vote = open_the_vote(jury, facilitator)
    levels = ["strongly_support", "support", "support", "can_live_with_it", "oppose", "abstain"]
    for person, level in zip(jurors, levels, strict=False):
        decisions.cast_ballot(vote, recommendations[0], person, level, "", False)
    decisions.close_vote(vote, facilitator)
    client.force_login(observer)
    page = client.get(url("vote-results", jury)).text
    assert "1 of 2 recommendations adopted" in page
    svg = svg_of(page, "vote-results")
    assert svg.find("title").text == "Ballots on each recommendation"
    # Recommendation 1: 1, 2, 1 accepting and 1 opposing of the 5 that took a side; 2 has none.
    assert widths(svg) == pytest.approx([WIDTH / 5, WIDTH * 2 / 5, WIDTH / 5, WIDTH / 5], abs=0.01)
    threshold = next(line for line in svg.iter("line") if line.get("class") == "chart-threshold")
    assert float(threshold.get("x1")) == pytest.approx(WIDTH * 0.8)
    assert ["Recommendation 1: Adopted", "1", "2", "1", "1", "0", "0", "5"] in table_rows(page)


def test_results_round_a_share_to_one_decimal_rather_than_cutting_it(
    client, jury, facilitator, recommendations, observer
):
    jurors = add_jurors(jury, 12)
    vote = open_the_vote(jury, facilitator)
    first, second = recommendations
    for index, person in enumerate(jurors):
        decisions.cast_ballot(vote, first, person, "oppose" if index == 0 else "support", "", True)
        if index:
            decisions.cast_ballot(vote, second, person, "support", "", True)
    decisions.close_vote(vote, facilitator)
    client.force_login(observer)
    page = client.get(url("vote-results", jury)).text
    # 11 of 12 is 91.66…%: shown as 91.7, not cut to 91.6; 12 of 12 is "100", as everywhere.
    assert "Accepting: 11 of the 12 ballots that took a side (91.7%)" in page
    assert "Turnout: 12 of 12 jurors voted (100%)" in page
    assert "Turnout: 11 of 12 jurors voted (91.7%)" in page


# --- Panel and banner ------------------------------------------------------------------------


def render_tag(snippet, user, jury, **context):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load votes %}" + snippet)
    access = access_for(user, jury)
    return template.render(Context({"request": request, "user": user, "access": access, **context}))


def test_the_panel_shows_a_juror_their_own_ballot_and_facilitators_the_turnout(
    jury, facilitator, vote, recommendations, juror, other_juror
):
    first = recommendations[0]
    decisions.cast_ballot(vote, first, juror, "can_live_with_it")
    mine = render_tag("{% vote_panel rec access %}", juror, jury, rec=first)
    assert "Your ballot: Can live with it" in mine
    theirs = render_tag("{% vote_panel rec access %}", other_juror, jury, rec=first)
    assert "You have not voted on this recommendation yet" in theirs
    assert "Can live with it" not in theirs
    turnout = render_tag("{% vote_panel rec access %}", facilitator, jury, rec=first)
    assert '<span id="turnout-voted">1</span> of <span id="turnout-jurors">2</span>' in turnout
    assert "on this recommendation" not in turnout and "turnout-rec-" not in turnout
    assert "Can live with it" not in turnout


def test_the_panel_shows_the_counts_once_the_vote_has_closed(
    jury, facilitator, vote, recommendations, juror, observer
):
    decisions.cast_ballot(vote, recommendations[0], juror, "can_live_with_it")
    decisions.close_vote(vote, facilitator)
    shown = render_tag("{% vote_panel rec access %}", observer, jury, rec=recommendations[0])
    assert ["Can live with it", "1", "100%"] in table_rows(shown)
    assert "Not decided" in shown
    # The one ballot that took a side fills the bar; the threshold line is where the rules say.
    svg = svg_of(shown, f"vote-result-{recommendations[0].number}")
    assert widths(svg) == pytest.approx([WIDTH], abs=0.01)
    threshold = next(line for line in svg.iter("line") if line.get("class") == "chart-threshold")
    assert float(threshold.get("x1")) == pytest.approx(WIDTH * vote.threshold_percent / 100)


def test_the_banner_tells_jurors_to_vote_and_facilitators_the_turnout(
    jury, facilitator, vote, juror
):
    assert "cast your ballot" in render_tag("{% vote_banner access %}", juror, jury)
    assert "0</span> of <span" in render_tag("{% vote_banner access %}", facilitator, jury)


def test_the_banner_says_nothing_to_people_who_may_not_read_recommendations(jury, vote, witness):
    assert render_tag("{% vote_banner access %}", witness, jury).strip() == ""


# --- Query counts ----------------------------------------------------------------------------


def a_jury_that_voted(make_jury, slug, recommendations, *, member, role, close=True):
    """Another jury at the Decision stage with `recommendations` voted on by two jurors."""
    jury = make_jury(slug=slug, stage="decision")
    facilitator, *jurors = add_jurors(jury, 3, prefix=slug)
    Membership.objects.filter(jury=jury, user=facilitator).update(role=Role.FACILITATOR)
    Membership.objects.create(jury=jury, user=member, role=role)
    for number in range(1, recommendations + 1):
        jury.recommendations.create(
            number=number, statement=f"S{number}", rationale="R", addressed_to="A"
        )
    vote = open_the_vote(jury, facilitator)
    for recommendation in jury.recommendations.all():
        for juror in jurors:
            decisions.cast_ballot(vote, recommendation, juror, "support", "Why", True)
    if close:
        decisions.close_vote(vote, facilitator)
    return jury


@pytest.mark.parametrize(
    "page, role, close, listed",
    [
        ("vote", Role.JUROR, False, True),
        ("vote", Role.FACILITATOR, False, False),  # overall turnout only while open
        ("vote-close", Role.FACILITATOR, False, False),
        ("vote-results", Role.OBSERVER, True, True),
    ],
)
def test_vote_pages_make_as_many_queries_for_many_recommendations_as_for_one(
    client, make_jury, make_person, page, role, close, listed
):
    person = make_person("both@example.org", "Member of both")
    few = a_jury_that_voted(make_jury, "few", 1, member=person, role=role, close=close)
    many = a_jury_that_voted(make_jury, "many", 8, member=person, role=role, close=close)
    sign_in_recently(client, person)
    client.get(url(page, few))  # the first request of a sign-in records the session
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(page, few)).status_code == 200
    with CaptureQueriesContext(connection) as eight:
        response = client.get(url(page, many))
    assert response.status_code == 200
    assert ("Recommendation 8" in response.text) is listed
    assert len(eight) == len(one), [q["sql"] for q in eight]
