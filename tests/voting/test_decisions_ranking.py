"""Ranking the adopted recommendations by priority after the vote: secret orders, the Schulze
method, and its result stored with the counts behind it."""

import pytest
from django.urls import reverse

from juries.models import JuryEvent
from tests.conftest import sign_in_recently
from voting import decisions, priorities
from voting.models import PriorityBallot
from voting.ranking import schulze

from .decisions_helpers import add_jurors, cast_all, open_the_vote


@pytest.fixture
def recommendations(at_stage, make_recommendation):
    at_stage("decision")
    return [make_recommendation(f"Recommendation text {n}") for n in (1, 2, 3)]


@pytest.fixture
def jurors(jury, juror, other_juror):
    return [juror, other_juror, *add_jurors(jury, 3)]


def closed_vote(jury, facilitator, recommendations, jurors, *, ranking=True, rejected=()):
    vote = open_the_vote(jury, facilitator, ranking=ranking)
    for recommendation in recommendations:
        level = "oppose" if recommendation in rejected else "support"
        cast_all(vote, recommendation, jurors, [level] * len(jurors))
    return decisions.close_vote(vote, facilitator)


@pytest.fixture
def ranking_open(jury, facilitator, recommendations, jurors):
    vote = closed_vote(jury, facilitator, recommendations, jurors)
    return priorities.open_ranking(vote, facilitator)


def test_ranking_opens_only_if_the_rules_asked_for_it(jury, facilitator, recommendations, jurors):
    vote = closed_vote(jury, facilitator, recommendations, jurors, ranking=False)
    with pytest.raises(decisions.DecisionError, match="did not include"):
        priorities.open_ranking(vote, facilitator)


def test_ranking_waits_for_the_vote_to_close(jury, facilitator, recommendations, jurors):
    vote = open_the_vote(jury, facilitator, ranking=True)
    with pytest.raises(decisions.DecisionError, match="not opened|closed|open"):
        priorities.open_ranking(vote, facilitator)
    assert vote.ranking_opened_at is None


def test_ranking_needs_two_adopted_recommendations(jury, facilitator, recommendations, jurors):
    vote = closed_vote(jury, facilitator, recommendations, jurors, rejected=recommendations[1:])
    with pytest.raises(decisions.DecisionError, match="at least two"):
        priorities.open_ranking(vote, facilitator)


def test_a_juror_ranks_some_or_all_and_may_change_their_order(ranking_open, recommendations, juror):
    first, second, third = (r.pk for r in recommendations)
    priorities.rank(ranking_open, juror, [second])
    priorities.rank(ranking_open, juror, [third, first, second])
    assert PriorityBallot.objects.get(vote=ranking_open, juror=juror).order == [
        third,
        first,
        second,
    ]
    assert priorities.ranking_of(ranking_open, juror) == [third, first, second]


@pytest.mark.parametrize("order", ["empty", "junk", "duplicate", "not adopted"])
def test_a_ranking_that_does_not_fit_is_refused(jury, facilitator, recommendations, jurors, order):
    vote = closed_vote(jury, facilitator, recommendations, jurors, rejected=recommendations[2:])
    vote = priorities.open_ranking(vote, facilitator)
    first, second, third = (r.pk for r in recommendations)
    order = {
        "empty": [],
        "junk": ["x"],
        "duplicate": [first, first],
        "not adopted": [first, third],
    }[order]
    with pytest.raises(decisions.DecisionError):
        priorities.rank(vote, jurors[0], order)
    assert not PriorityBallot.objects.exists()


def test_only_jurors_rank(ranking_open, recommendations, facilitator, observer):
    for person in (facilitator, observer):
        with pytest.raises(decisions.DecisionError):
            priorities.rank(ranking_open, person, [recommendations[0].pk])


def test_closing_the_ranking_stores_the_schulze_result_with_its_counts(
    ranking_open, facilitator, recommendations, jurors
):
    a, b, c = (r.pk for r in recommendations)
    orders = [[c, a, b], [c, a, b], [a, c], [b, a], [a, b, c]]
    for juror, order in zip(jurors, orders, strict=True):
        priorities.rank(ranking_open, juror, order)
    vote = priorities.close_ranking(ranking_open, facilitator)
    vote.refresh_from_db()
    expected = schulze([a, b, c], orders)
    stored = vote.ranking_result
    assert stored["method"] == "schulze" and stored["ballots"] == 5
    assert stored["places"] == expected.places
    assert stored["pairwise"] == {f"{x}>{y}": n for (x, y), n in expected.pairwise.items()}
    assert stored["strongest"][f"{a}>{b}"] == expected.strongest[(a, b)]
    assert stored["places"][0] == [a]  # a beats b 4 to 1 and c 3 to 2
    assert JuryEvent.objects.filter(kind="vote.ranking-closed").exists()
    with pytest.raises(decisions.DecisionError):
        priorities.rank(vote, jurors[0], [b])


def test_jurors_rank_on_a_page_with_a_place_for_each_recommendation(
    client, jury, ranking_open, recommendations, juror
):
    a, b, c = recommendations
    client.force_login(juror)
    url = reverse("voting:vote-ranking", args=[jury.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert f'name="rec-{a.pk}"' in page.text and "<select" in page.text
    response = client.post(url, {f"rec-{a.pk}": "2", f"rec-{b.pk}": "1", f"rec-{c.pk}": ""})
    assert response.status_code == 302
    assert priorities.ranking_of(ranking_open, juror) == [b.pk, a.pk]
    again = client.get(url)
    assert '<option value="2" selected>2</option>' in again.text.replace("\n", "")


def test_two_recommendations_in_one_place_are_refused_and_the_choices_kept(
    client, jury, ranking_open, recommendations, juror
):
    a, b, c = recommendations
    client.force_login(juror)
    url = reverse("voting:vote-ranking", args=[jury.slug])
    response = client.post(url, {f"rec-{a.pk}": "1", f"rec-{b.pk}": "1", f"rec-{c.pk}": "9"})
    assert response.status_code == 400
    assert "share place 1" in response.text
    assert "Choose a place from the list" in response.text
    assert not PriorityBallot.objects.exists()


def test_facilitators_open_and_close_the_ranking_and_everyone_sees_the_order(
    client, jury, facilitator, recommendations, jurors, observer
):
    closed_vote(jury, facilitator, recommendations, jurors)
    sign_in_recently(client, facilitator)
    assert client.post(reverse("voting:vote-ranking-open", args=[jury.slug])).status_code == 302
    vote = decisions.current_vote(jury)
    a, b, c = (r.pk for r in recommendations)
    priorities.rank(vote, jurors[0], [b, a, c])
    response = client.post(reverse("voting:vote-ranking-close", args=[jury.slug]))
    assert response.url == reverse("voting:vote-results", args=[jury.slug])
    client.force_login(observer)
    page = client.get(response.url).text
    assert "Schulze method" in page
    assert "Order of priority" in page
    assert page.index("Recommendation 2: Recommendation text 2") < page.index(
        "Recommendation 1: Recommendation text 1", page.index("Places")
    )


def test_opening_the_ranking_twice_says_so(client, jury, facilitator, ranking_open):
    sign_in_recently(client, facilitator)
    response = client.post(reverse("voting:vote-ranking-open", args=[jury.slug]), follow=True)
    assert "already opened" in response.text


def test_the_ranking_page_says_when_it_is_not_open(
    client, jury, facilitator, juror, recommendations
):
    open_the_vote(jury, facilitator, ranking=True)
    client.force_login(juror)
    url = reverse("voting:vote-ranking", args=[jury.slug])
    assert "not open" in client.get(url).text
    response = client.post(url, {"rec-1": "1"}, follow=True)
    assert "not open" in response.text
    assert not PriorityBallot.objects.exists()


def test_opening_the_ranking_emails_every_juror_once(
    jury, facilitator, recommendations, jurors, mailoutbox
):
    vote = closed_vote(jury, facilitator, recommendations, jurors)
    mailoutbox.clear()
    priorities.open_ranking(vote, facilitator)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(j.email for j in jurors)
    assert all(m.subject.startswith("Rank the adopted recommendations") for m in mailoutbox)
    assert all("/vote/ranking/" in m.body for m in mailoutbox)


def test_opening_the_ranking_asks_the_facilitator_to_confirm_who_they_are(
    client, jury, facilitator, recommendations, jurors
):
    vote = closed_vote(jury, facilitator, recommendations, jurors)
    client.force_login(facilitator)  # signed in, but not just now

    response = client.post(reverse("voting:vote-ranking-open", args=[jury.slug]))

    assert "/accounts/reauthenticate/" in response.url
    vote.refresh_from_db()
    assert vote.ranking_opened_at is None


def test_the_ranking_is_news_and_follows_each_jurors_email_choice(
    jury, facilitator, recommendations, jurors, mailoutbox
):
    from juries.models import EmailChoice, Membership, Notification

    vote = closed_vote(jury, facilitator, recommendations, jurors)
    summary, *others = jurors
    Membership.objects.filter(jury=jury, user=summary).update(emails=EmailChoice.SUMMARY)
    mailoutbox.clear()
    priorities.open_ranking(vote, facilitator)
    # The daily-summary juror waits for the summary; everyone sees it on What's new.
    assert sorted(m.to[0] for m in mailoutbox) == sorted(j.email for j in others)
    told = Notification.objects.filter(kind="ranking.opened")
    assert sorted(told.values_list("user", flat=True)) == sorted(j.pk for j in jurors)
    assert all(n.needs_action for n in told)
