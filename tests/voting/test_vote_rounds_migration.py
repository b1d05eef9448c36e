"""The rounds migration keeps what was there: an existing vote becomes round 1, final, and its
results stay the ones that count (issue 15)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_existing_votes_become_round_one_final_and_keep_their_results():
    executor = MigrationExecutor(connection)
    executor.migrate([("voting", "0004_i12_text_limits")])
    apps = executor.loader.project_state([("voting", "0004_i12_text_limits")]).apps
    Jury = apps.get_model("juries", "Jury")
    Vote = apps.get_model("voting", "Vote")
    Rec = apps.get_model("voting", "Recommendation")
    Result = apps.get_model("voting", "VoteResult")
    jury = Jury.objects.create(title="J", slug="j", remit="r")
    rec = Rec.objects.create(jury=jury, number=1, statement="s", rationale="r", addressed_to="a")
    vote = Vote.objects.create(jury=jury, state="closed", jurors_at_close=3)
    Result.objects.create(
        vote=vote, recommendation=rec, counts={"support": 3}, jurors=3, outcome="adopted"
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from voting.models import Recommendation
    from voting.models import Vote as NewVote

    new = NewVote.objects.get(pk=vote.pk)
    assert (new.round, new.indicative) == (1, False)
    r = Recommendation.objects.get(pk=rec.pk)
    assert r.result.outcome == "adopted" and r.result.current and r.is_adopted
