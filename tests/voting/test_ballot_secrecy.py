"""Secret ballots that stay secret in the database (issue 12, acceptance check 1).

Tried as an insider with a copy of the database would: raw SQL over every column of the ballot
and priority-ballot tables, and over every table that could link a juror to a choice. Once the
vote (and its ranking) closes, nothing does; turnout and the published results are what they were;
and a juror's data download says that they voted, never how.
"""

import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from juries import accounts
from tests.conftest import sign_in_recently
from voting import decisions, priorities
from voting.models import Ballot, Participation, PriorityBallot, Vote, VoteResult, VoteState
from voting.ranking import schulze

from .decisions_helpers import add_jurors, open_the_vote

PRIVATE_REASON = "Worried about my neighbour Philippa Quenby"
PUBLISHED_REASON = "Error rates belong in the open"
# Levels chosen by one juror each on the first recommendation: rare enough to be spotted.
LEVELS = ["strongly_oppose", "support", "strongly_support", "can_live_with_it"]
RARE_LEVELS = {"strongly_oppose", "strongly_support", "can_live_with_it"}
# The only columns a sealed ballot may have, and those that must be empty once sealed.
BALLOT_KEPT = {"id", "vote_id", "recommendation_id", "level", "reason", "publish_reason"}
BALLOT_EMPTIED = {"juror_id", "cast_at", "changed_at"}
PRIORITY_KEPT = {"id", "vote_id", "order"}
PRIORITY_EMPTIED = {"juror_id", "changed_at"}


@pytest.fixture
def voters(jury):
    return add_jurors(jury, 4, prefix="secret")


@pytest.fixture
def recommendations(at_stage, make_recommendation):
    at_stage("decision")
    return [
        make_recommendation("Publish the error rates."),
        make_recommendation("Let people see their own score."),
    ]


@pytest.fixture
def vote(jury, facilitator, voters, recommendations):
    first, second = recommendations
    vote = open_the_vote(jury, facilitator, ranking=True, threshold_percent=75)
    for index, (juror, level) in enumerate(zip(voters, LEVELS, strict=True)):
        reason, publish = {0: (PRIVATE_REASON, False), 1: (PUBLISHED_REASON, True)}.get(
            index, ("", False)
        )
        decisions.cast_ballots(
            vote, juror, [(first, level, reason, publish), (second, "support", "", False)]
        )
    return vote


def close_all(vote, facilitator, voters):
    """Close the vote, then rank the adopted recommendations (each juror in a different order
    where there is one) and close the ranking."""
    vote = decisions.close_vote(vote, facilitator)
    vote = priorities.open_ranking(vote, facilitator)
    adopted = [r.pk for r in priorities.adopted_recommendations(vote)]
    for index, juror in enumerate(voters):
        priorities.rank(vote, juror, adopted if index % 2 else adopted[::-1])
    return priorities.close_ranking(vote, facilitator)


def table_rows(model_or_table):
    """Every row of a table as {column: value}, read with raw SQL."""
    table = getattr(getattr(model_or_table, "_meta", None), "db_table", model_or_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def columns_of(model):
    with connection.cursor() as cursor:
        described = connection.introspection.get_table_description(cursor, model._meta.db_table)
    return {column.name for column in described}


def identities(voters):
    return [str(text) for juror in voters for text in (juror.display_name, juror.email)]


def test_no_ballot_or_priority_ballot_row_keeps_a_juror_private_reason_or_time(
    jury, facilitator, vote, voters
):
    assert {row["juror_id"] for row in table_rows(Ballot)} == {v.pk for v in voters}  # open
    close_all(vote, facilitator, voters)

    assert columns_of(Ballot) == BALLOT_KEPT | BALLOT_EMPTIED
    ballots = table_rows(Ballot)
    assert len(ballots) == 8  # every ballot counted is still there, anonymous
    for row in ballots:
        assert all(row[column] is None for column in BALLOT_EMPTIED), row
        assert row["reason"] in ("", PUBLISHED_REASON), row
        assert bool(row["publish_reason"]) == bool(row["reason"]), row

    assert columns_of(PriorityBallot) == PRIORITY_KEPT | PRIORITY_EMPTIED
    rankings = table_rows(PriorityBallot)
    assert len(rankings) == 4
    for row in rankings:
        assert all(row[column] is None for column in PRIORITY_EMPTIED), row


def test_sealed_rows_are_in_an_order_of_their_content_not_of_casting(
    jury, facilitator, vote, voters
):
    close_all(vote, facilitator, voters)
    ballots = sorted(table_rows(Ballot), key=lambda row: row["id"])
    content = [(row["recommendation_id"], row["level"], row["reason"]) for row in ballots]
    assert content == sorted(content)
    rankings = sorted(table_rows(PriorityBallot), key=lambda row: row["id"])
    orders = [
        json.loads(row["order"]) if isinstance(row["order"], str) else row["order"]
        for row in rankings
    ]
    assert orders == sorted(orders)


def test_who_took_part_is_kept_without_any_choice(jury, facilitator, vote, voters):
    close_all(vote, facilitator, voters)
    assert columns_of(Participation) == {"id", "vote_id", "juror_id", "part"}
    rows = table_rows(Participation)
    assert sorted((row["juror_id"], row["part"]) for row in rows) == sorted(
        [(v.pk, "vote") for v in voters] + [(v.pk, "ranking") for v in voters]
    )


def test_the_private_reason_is_nowhere_in_the_database_once_the_vote_closes(
    jury, facilitator, vote, voters
):
    assert any(PRIVATE_REASON in str(row.values()) for row in table_rows(Ballot))  # while open
    close_all(vote, facilitator, voters)
    for table in connection.introspection.table_names():
        for row in table_rows(table):
            assert PRIVATE_REASON not in str(list(row.values())), table


def person_columns(table):
    """The columns of `table` that refer to a person (foreign keys to the user table)."""
    users = get_user_model()._meta.db_table
    with connection.cursor() as cursor:
        relations = connection.introspection.get_relations(cursor, table)
    return {column for column, (_to_column, to_table) in relations.items() if to_table == users}


def test_no_table_holds_a_voter_beside_a_level_they_chose(jury, facilitator, vote, voters):
    """Every table, every row: none holds both a voter (in a column that refers to a person)
    and one of the rare levels the voters chose. The results (counts by level) refer to nobody;
    Participation refers to voters and holds no level."""
    close_all(vote, facilitator, voters)
    voter_ids = {v.pk for v in voters}
    assert person_columns(Participation._meta.db_table) == {"juror_id"}  # the check can see
    for table in connection.introspection.table_names():
        people = person_columns(table)
        for row in table_rows(table):
            if not {row[column] for column in people} & voter_ids:
                continue
            text = str(list(row.values()))
            assert not any(level in text for level in RARE_LEVELS), (table, row)


def test_no_event_or_audit_entry_of_the_vote_names_a_voter_or_a_choice(
    jury, facilitator, vote, voters
):
    close_all(vote, facilitator, voters)
    events = [row for row in table_rows("juries_juryevent") if row["jury_id"] == jury.pk]
    assert {row["kind"] for row in events} >= {"vote.turnout", "vote.closed"}
    for row in events:
        text = f"{row['frames']} {row['data']}"
        for identity in identities(voters):
            assert identity not in text, (row["kind"], identity)
        assert PUBLISHED_REASON not in text and PRIVATE_REASON not in text
        assert not any(level in text for level in RARE_LEVELS), row["kind"]
    for row in table_rows("juries_auditentry"):
        assert row.get("actor_id") not in {v.pk for v in voters} or "vote" not in row["action"]
        text = str(list(row.values()))
        for identity in identities(voters):
            assert identity not in text
        assert not any(level in text for level in RARE_LEVELS)


def test_turnout_and_the_published_results_are_unchanged_by_sealing(
    client, jury, facilitator, observer, vote, voters
):
    turnout_open = decisions.turnout(vote)
    close_all(vote, facilitator, voters)
    vote.refresh_from_db()

    assert decisions.turnout(vote) == turnout_open == {"jurors": 4, "voted": 4}
    first = VoteResult.objects.get(vote=vote, recommendation__number=1)
    assert first.counts == {
        "strongly_support": 1,
        "support": 1,
        "can_live_with_it": 1,
        "oppose": 0,
        "strongly_oppose": 1,
        "abstain": 0,
    }
    assert first.reasons == [PUBLISHED_REASON]
    assert first.outcome == "adopted"  # 3 of 4 accept: 75% meets the threshold; quorum met
    for result in VoteResult.objects.filter(vote=vote):
        sealed = Ballot.objects.filter(vote=vote, recommendation=result.recommendation)
        levels = list(sealed.values_list("level", flat=True))
        assert {level: levels.count(level) for level in result.counts} == result.counts
        published = sorted(r for r in sealed.values_list("reason", flat=True) if r)
        assert published == sorted(result.reasons)
    stored = vote.ranking_result
    orders = list(PriorityBallot.objects.filter(vote=vote).values_list("order", flat=True))
    assert stored["ballots"] == len(orders) == 4
    assert schulze(stored["candidates"], orders).places == stored["places"]

    sign_in_recently(client, observer)
    page = client.get(reverse("voting:vote-results", args=[jury.slug])).text
    assert "Turnout: 4 of 4 jurors voted (100%)." in page
    assert PUBLISHED_REASON in page


def test_the_data_download_says_you_voted_and_holds_no_ballot_of_a_closed_vote(
    client, jury, facilitator, vote, voters, recommendations
):
    voter = voters[0]
    close_all(vote, facilitator, voters)

    data = accounts.export_data(voter)["decisions"]
    assert data["ballots"] == []
    assert data["priority_rankings"] == []
    statements = {(item["part"], item["open"]): item["statement"] for item in data["votes"]}
    assert statements[("vote", False)].startswith("You voted.")
    assert statements[("ranking", False)].startswith("You ranked the recommendations.")

    sign_in_recently(client, voter)
    download = client.get(reverse("juries:download-data")).content.decode()
    assert "You voted." in download
    assert PRIVATE_REASON not in download
    assert not any(f'"{level}"' in download for level in LEVELS)


def test_someone_who_did_not_vote_is_not_told_they_did(client, jury, facilitator, vote, voters):
    (late,) = add_jurors(jury, 1, prefix="late")
    close_all(vote, facilitator, voters)
    assert accounts.export_data(late)["decisions"]["votes"] == []
    sign_in_recently(client, late)
    assert 'id="you-voted"' not in client.get(reverse("voting:vote", args=[jury.slug])).text
    sign_in_recently(client, voters[0])
    assert 'id="you-voted"' in client.get(reverse("voting:vote", args=[jury.slug])).text
    sign_in_recently(client, voters[0])
    assert 'id="you-ranked"' in client.get(reverse("voting:vote-ranking", args=[jury.slug])).text


@pytest.mark.parametrize("role", ["facilitator", "observer", "oversight"])
def test_only_the_voter_is_told_they_voted(client, jury, facilitator, vote, voters, personas, role):
    close_all(vote, facilitator, voters)
    sign_in_recently(client, personas[role])
    page = client.get(reverse("voting:vote", args=[jury.slug])).text
    assert 'id="you-voted"' not in page
    for identity in identities(voters):
        assert identity not in page


def test_while_open_a_juror_sees_and_changes_their_own_ballot(
    client, jury, vote, voters, recommendations
):
    first = recommendations[0]
    juror = voters[1]
    sign_in_recently(client, juror)
    page = client.get(reverse("voting:vote", args=[jury.slug])).text
    assert f'value="support" id="id_rec-{first.pk}-level_1" checked' in page
    assert "What is stored about your ballot" in page
    assert "stored with your name" in page

    decisions.cast_ballot(vote, first, juror, "oppose", "Changed my mind", False)

    page = client.get(reverse("voting:vote", args=[jury.slug])).text
    assert f'value="oppose" id="id_rec-{first.pk}-level_3" checked' in page
    assert "Changed my mind" in page
    mine = accounts.export_data(juror)["decisions"]
    assert {(b["recommendation"], b["level"]) for b in mine["ballots"]} == {
        (1, "oppose"),
        (2, "support"),
    }
    assert [item["open"] for item in mine["votes"]] == [True]
    assert decisions.turnout(vote) == {"jurors": 4, "voted": 4}  # a change is not a new voter


def test_while_the_ranking_is_open_a_juror_sees_their_own_order(jury, facilitator, vote, voters):
    vote = priorities.open_ranking(decisions.close_vote(vote, facilitator), facilitator)
    adopted = [r.pk for r in priorities.adopted_recommendations(vote)]
    priorities.rank(vote, voters[0], adopted[::-1])
    assert priorities.ranking_of(vote, voters[0]) == adopted[::-1]
    rankings = accounts.export_data(voters[0])["decisions"]["priority_rankings"]
    assert [r["order"] for r in rankings] == [[2, 1]]


def _sealing_migration():
    """The data migration that seals votes closed before it, found by name (it may be
    renumbered)."""
    folder = Path(importlib.import_module("voting.migrations").__path__[0])
    (path,) = folder.glob("*_i12_sealed_ballots.py")
    return importlib.import_module(f"voting.migrations.{path.stem}")


def test_the_migration_seals_votes_that_closed_before_it(jury, facilitator, vote, voters):
    """A vote closed before sealing existed: its ballots still name their jurors. The data
    migration records who voted and seals the ballots, leaving the counts as they were."""
    vote = decisions.close_vote(vote, facilitator)
    # As an older version left it: the ballots with jurors, reasons and times, nobody recorded.
    Ballot.objects.filter(vote=vote).delete()
    Participation.objects.all().delete()
    first, second = vote.jury.recommendations.order_by("number")
    for juror, level in zip(voters, LEVELS, strict=True):
        reason = PRIVATE_REASON if juror == voters[0] else ""
        Ballot.objects.create(
            vote=vote, recommendation=first, juror=juror, level=level, reason=reason
        )
        Ballot.objects.create(vote=vote, recommendation=second, juror=juror, level="support")
    migration = _sealing_migration()

    migration.record_participations(apps, None)
    migration.seal_closed_votes(apps, None)

    vote = Vote.objects.get(pk=vote.pk)
    assert vote.state == VoteState.CLOSED
    assert decisions.turnout(vote)["voted"] == 4
    for row in table_rows(Ballot):
        assert (row["juror_id"], row["cast_at"], row["changed_at"]) == (None, None, None)
        assert row["reason"] == ""
    for result in VoteResult.objects.filter(vote=vote):
        levels = list(
            Ballot.objects.filter(recommendation=result.recommendation).values_list(
                "level", flat=True
            )
        )
        assert {level: levels.count(level) for level in result.counts} == result.counts
