"""Secret ballots: as a facilitator, an observer or an oversight member, no page, event, audit
entry or email of the vote says who voted how. Each juror sees their own ballot, and only theirs.

The jurors here have names and addresses found nowhere else, and one keeps a reason private, so
that a page showing any of them next to a level would be caught."""

import contextlib

import pytest
from django.urls import NoReverseMatch, reverse

from juries.models import AuditEntry, JuryEvent
from tests.conftest import sign_in_recently
from voting import decisions, priorities

from .decisions_helpers import add_jurors, open_the_vote

PRIVATE_REASON = "Quietly worried about Uncle Bartholomew"
PUBLISHED_REASON = "Everyone deserves to know their score"
VOTE_PAGES = ["vote", "vote-open", "vote-close", "vote-results", "vote-ranking"]
EVENT_DATA_KEYS = {"vote", "state", "voted", "jurors"}


@pytest.fixture
def voters(jury):
    return add_jurors(jury, 4, prefix="secret")


@pytest.fixture
def vote(jury, facilitator, voters, at_stage, make_recommendation):
    at_stage("decision")
    first = make_recommendation("Publish the error rates.")
    second = make_recommendation("Let people see their own score.")
    vote = open_the_vote(jury, facilitator, ranking=True, threshold_percent=75)
    levels = ["strongly_oppose", "support", "strongly_support", "can_live_with_it"]
    for juror, level in zip(voters, levels, strict=True):
        decisions.cast_ballot(vote, second, juror, "support")
        if juror == voters[0]:
            decisions.cast_ballot(vote, first, juror, level, PRIVATE_REASON, False)
        elif juror == voters[1]:
            decisions.cast_ballot(vote, first, juror, level, PUBLISHED_REASON, True)
        else:
            decisions.cast_ballot(vote, first, juror, level)
    return vote


def identities(voters):
    return [text for juror in voters for text in (juror.display_name, juror.email)]


def member_pages(jury):
    """Every page of the vote, and the recommendation pages that show its panel and banner."""
    urls = [reverse(f"voting:{name}", args=[jury.slug]) for name in VOTE_PAGES]
    for recommendation in jury.recommendations.all():
        urls.append(recommendation.get_absolute_url())
    with contextlib.suppress(NoReverseMatch):  # the list belongs to the drafting pages
        urls.append(reverse("voting:recommendations", args=[jury.slug]))
    return urls


def assert_reveals_no_ballot(client, jury, person, voters, *, closed):
    sign_in_recently(client, person)
    for url in member_pages(jury):
        response = client.get(url)
        assert response.status_code in (200, 403), url
        page = response.content.decode()
        for identity in identities(voters):
            assert identity not in page, (person.email, url, identity)
        assert PRIVATE_REASON not in page, (person.email, url)
        if not closed:
            assert PUBLISHED_REASON not in page, (person.email, url)
            assert '<th scope="row">Strongly oppose</th>' not in page, (person.email, url)


def finish(vote, facilitator, voters):
    vote = decisions.close_vote(vote, facilitator)
    vote = priorities.open_ranking(vote, facilitator)
    adopted = [r.pk for r in priorities.adopted_recommendations(vote)]
    for juror in voters:
        priorities.rank(vote, juror, adopted)
    return priorities.close_ranking(vote, facilitator)


@pytest.mark.parametrize("role", ["facilitator", "observer", "oversight"])
def test_no_page_reveals_a_ballot_while_open_or_after_close(
    client, jury, facilitator, vote, voters, personas, role
):
    assert_reveals_no_ballot(client, jury, personas[role], voters, closed=False)
    finish(vote, facilitator, voters)
    assert_reveals_no_ballot(client, jury, personas[role], voters, closed=True)


def test_the_results_carry_published_reasons_without_names(
    client, jury, facilitator, observer, vote, voters
):
    finish(vote, facilitator, voters)
    sign_in_recently(client, observer)
    page = client.get(reverse("voting:vote-results", args=[jury.slug])).text
    assert PUBLISHED_REASON in page
    assert PRIVATE_REASON not in page
    assert '<th scope="row">Strongly oppose</th><td>1</td>' in page


def test_no_event_of_the_vote_carries_a_juror(jury, facilitator, vote, voters):
    finish(vote, facilitator, voters)
    events = JuryEvent.objects.filter(jury=jury, kind__startswith="vote.")
    kinds = set(events.values_list("kind", flat=True))
    assert {"vote.opened", "vote.turnout", "vote.closed", "vote.ranking-closed"} <= kinds
    for event in events:
        assert set(event.data) <= EVENT_DATA_KEYS, event.kind
        if event.kind == "vote.turnout":
            assert set(event.frames) == {"facilitator", "observer", "evaluator"}
        for html in event.frames.values():
            for identity in identities(voters):
                assert identity not in html, (event.kind, identity)
            assert PRIVATE_REASON not in html and PUBLISHED_REASON not in html
            for label in ("Strongly oppose", "Can live with it"):
                assert label not in html, event.kind


def test_turnout_events_count_jurors_and_never_name_them(jury, vote, voters):
    events = JuryEvent.objects.filter(jury=jury, kind="vote.turnout").order_by("seq")
    assert events.count() == 4  # one for each juror's first ballot, none for their second
    assert events.last().data == {"vote": vote.pk, "voted": 4, "jurors": 4}


# Secrecy by timing: counts on each recommendation, seen moving live as a juror votes, would
# show which recommendations that juror left out. While the vote is open only "N of M jurors
# have voted" is shown and pushed; the counts on each recommendation come with the results.


@pytest.fixture
def partial_voter(jury, vote):
    """A fifth juror who has voted on the second recommendation only: 5 of 5 jurors have voted,
    4 of 5 on the first recommendation."""
    (late,) = add_jurors(jury, 1, prefix="late")
    decisions.cast_ballot(vote, jury.recommendations.get(number=2), late, "oppose")
    return late


def test_the_live_turnout_carries_the_overall_number_only(jury, vote, partial_voter):
    events = JuryEvent.objects.filter(jury=jury, kind="vote.turnout").order_by("seq")
    last = events.last()
    assert last.data == {"vote": vote.pk, "voted": 5, "jurors": 5}
    for html in last.frames.values():
        assert '<span hx-swap-oob="innerHTML:#turnout-voted">5</span>' in html
        assert "turnout-rec-" not in html
        for pk in jury.recommendations.values_list("pk", flat=True):
            assert f"-{pk}" not in html
    # Their first ballot on another recommendation moves no overall number: nothing is sent.
    decisions.cast_ballot(vote, jury.recommendations.get(number=1), partial_voter, "support")
    assert events.last() == last


@pytest.mark.parametrize("role", ["facilitator", "observer"])
def test_the_open_vote_pages_show_no_count_on_each_recommendation(
    client, jury, vote, partial_voter, personas, role
):
    jurors = decisions.turnout(vote)["jurors"]  # 5, and one more with every persona
    sign_in_recently(client, personas[role])
    vote_page = client.get(reverse("voting:vote", args=[jury.slug])).text
    overall = f'<span id="turnout-voted">5</span> of <span id="turnout-jurors">{jurors}</span>'
    assert overall in vote_page
    for url in member_pages(jury):
        page = client.get(url).text
        assert f"4 of {jurors}" not in page, (role, url)  # the first recommendation's count
        assert "turnout-rec-" not in page, (role, url)
        assert "on this recommendation" not in page, (role, url)
        assert "on each recommendation</caption>" not in page, (role, url)


def test_the_audit_log_and_emails_of_the_vote_name_no_voter(
    jury, facilitator, vote, voters, mailoutbox
):
    finish(vote, facilitator, voters)
    for entry in AuditEntry.objects.filter(jury=jury, action__startswith="vote."):
        assert entry.actor == facilitator
        for identity in identities(voters):
            assert identity not in entry.summary + entry.target_label
    for message in mailoutbox:
        others = [j for j in voters if j.email != message.to[0]]
        for identity in identities(others):
            assert identity not in message.subject + message.body


def test_a_juror_sees_their_own_ballot_and_nobody_elses(client, jury, vote, voters):
    first, second = voters[:2]
    sign_in_recently(client, second)
    page = client.get(reverse("voting:vote", args=[jury.slug])).text
    assert PUBLISHED_REASON in page  # their own reason, in their own ballot
    assert PRIVATE_REASON not in page
    assert first.display_name not in page
    rec = jury.recommendations.get(number=1)
    assert f'value="support" id="id_rec-{rec.pk}-level_1" checked' in page
    assert f'value="strongly_oppose" id="id_rec-{rec.pk}-level_4" checked' not in page
    mine = decisions.ballots_of(decisions.current_vote(jury), second)
    assert {b.level for b in mine.values()} == {"support"}
