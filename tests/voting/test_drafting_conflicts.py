"""Drafting when people act at the same time, or type something odd: nobody's change is silently
overwritten or undone, what was typed is shown again, and odd input gets a message, not an
error page."""

import contextlib
import os
import re
import threading

import pytest
from django.db import connection
from django.urls import reverse

from juries.models import Jury
from tests.voting.drafting_helpers import WORDING, amend, evidence_for, propose
from voting import amendments, drafting
from voting.models import AmendmentState, RecommendationState


@pytest.fixture
def drafting_jury(at_stage):
    return at_stage("drafting")


@pytest.fixture
def evidence(drafting_jury, facilitator, juror):
    return evidence_for(drafting_jury, facilitator=facilitator, juror=juror)


def url(name, jury, *args):
    return reverse(f"voting:{name}", args=[jury.slug, *args])


def form_data(**changes):
    return {**WORDING, "submission_key": "", **changes}


def hidden(page, name):
    """The values of the hidden inputs called `name` in a page, in order."""
    return re.findall(rf'<input type="hidden" name="{name}" value="([^"]*)"', page)


def reworded(**changes):
    return {**WORDING, **changes}


# Post numbers in other digits ----------------------------------------------------------------


@pytest.mark.parametrize("ref", ["²", "#²", "³4", "#post-²"])
def test_a_post_number_in_other_digits_is_not_taken_for_a_post(ref):
    assert drafting.parse_post_ref(ref) is None


def test_a_superscript_post_number_gets_a_message_on_the_propose_page(client, drafting_jury, juror):
    client.force_login(juror)
    response = client.post(url("recommendation-create", drafting_jury), form_data(post_links="²"))
    assert response.status_code == 400
    assert "is not a link to a post in this jury" in response.content.decode()
    assert not drafting_jury.recommendations.exists()


def test_a_superscript_post_number_gets_a_message_on_the_citations_page(
    client, drafting_jury, juror
):
    rec = propose(drafting_jury, juror)
    client.force_login(juror)
    response = client.post(
        url("recommendation-citations", drafting_jury, rec.number), {"post_links": "#²"}
    )
    assert response.status_code == 400
    assert "is not a link to a post in this jury" in response.content.decode()


# Revising at the same time -------------------------------------------------------------------


def test_a_revision_started_from_an_older_version_is_refused(drafting_jury, juror, other_juror):
    rec = propose(drafting_jury, juror)
    drafting.revise(rec, other_juror, **reworded(statement="Monthly."), note="x", base=1)
    with pytest.raises(drafting.DraftingError, match="Someone saved a newer version"):
        drafting.revise(rec, juror, **reworded(statement="Weekly."), note="y", base=1)
    rec.refresh_from_db()
    assert (rec.statement, rec.revision_count) == ("Monthly.", 2)


def test_revising_after_someone_else_saved_keeps_the_typed_text_until_saved_again(
    client, drafting_jury, juror, other_juror
):
    rec = propose(drafting_jury, juror)
    revise = url("recommendation-revise", drafting_jury, rec.number)
    client.force_login(juror)
    assert hidden(client.get(revise).content.decode(), "base") == ["1"]
    drafting.revise(rec, other_juror, **reworded(statement="Monthly."), note="Theirs")
    typed = form_data(statement="Publish them weekly.", note="Mine", base="1")
    response = client.post(revise, typed)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone saved a newer version while you were editing." in page
    assert "Publish them weekly.</textarea>" in page
    assert hidden(page, "base") == ["2"]  # saving again is now a choice made knowingly
    rec.refresh_from_db()
    assert rec.statement == "Monthly."
    assert client.post(revise, {**typed, "base": "2"}).status_code == 302
    rec.refresh_from_db()
    assert (rec.statement, rec.revision_count) == ("Publish them weekly.", 3)


# Merging at the same time --------------------------------------------------------------------


def test_a_merge_started_from_older_versions_is_refused(drafting_jury, juror, facilitator):
    keep = propose(drafting_jury, juror)
    other = propose(drafting_jury, juror, statement="Tell people their score.")
    drafting.revise(keep, juror, **reworded(statement="Monthly."), note="x")
    with pytest.raises(drafting.DraftingError, match="newer version of recommendation 1"):
        drafting.merge(keep, other, facilitator, **WORDING, base=1, other_base=1)
    drafting.revise(other, juror, **reworded(statement="Tell them."), note="x")
    with pytest.raises(drafting.DraftingError, match="newer version of recommendation 2"):
        drafting.merge(keep, other, facilitator, **WORDING, base=2, other_base=1)
    keep.refresh_from_db()
    other.refresh_from_db()
    assert keep.statement == "Monthly." and keep.revision_count == 2
    assert other.state == RecommendationState.ACTIVE


def test_merging_after_a_revision_meanwhile_keeps_the_typed_wording(
    client, drafting_jury, juror, facilitator
):
    keep = propose(drafting_jury, juror)
    other = propose(drafting_jury, juror, statement="Tell people their score.")
    merge = url("recommendation-merge", drafting_jury, keep.number)
    client.force_login(facilitator)
    page = client.get(merge, {"other": other.number}).content.decode()
    assert (hidden(page, "base"), hidden(page, "other_base")) == (["1"], ["1"])
    drafting.revise(keep, juror, **reworded(statement="Monthly."), note="x")
    response = client.post(
        merge,
        form_data(
            other=other.number, statement="Publish rates and tell people.", base=1, other_base=1
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "newer version of recommendation 1 while you were merging" in page
    assert "Publish rates and tell people.</textarea>" in page
    assert hidden(page, "base") == ["2"]
    other.refresh_from_db()
    assert other.state == RecommendationState.ACTIVE


def test_a_merge_with_a_recommendation_gone_meanwhile_keeps_the_typed_wording(
    client, drafting_jury, juror, facilitator
):
    keep = propose(drafting_jury, juror)
    other = propose(drafting_jury, juror, statement="Tell people their score.")
    third = propose(drafting_jury, juror, statement="Explain the score.")
    drafting.merge(third, other, facilitator, **reworded(statement="Explain and tell."))
    merge = url("recommendation-merge", drafting_jury, keep.number)
    client.force_login(facilitator)
    typed = form_data(other=other.number, statement="Publish, explain and tell.", base=1)
    response = client.post(merge, {**typed, "other_base": 1})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Publish, explain and tell.</textarea>" in page
    assert "Recommendation 2 can no longer be merged" in page
    assert f'<option value="{third.number}"' in page  # choose again, on the same page
    assert client.post(merge, {**typed, "other": third.number}).status_code == 302
    keep.refresh_from_db()
    third.refresh_from_db()
    assert keep.statement == "Publish, explain and tell." and third.merged_into == keep


# Citing at the same time ---------------------------------------------------------------------


def test_saving_citations_keeps_one_someone_added_meanwhile(
    drafting_jury, juror, other_juror, evidence
):
    rec = drafting.propose(drafting_jury, juror, **WORDING, citations=[evidence["item"]])
    shown = {rec.citations.get().pk}
    drafting.add_citation(rec, other_juror, evidence["question"])
    added, removed = drafting.update_citations(rec, juror, [evidence["post"]], shown=shown)
    assert (added, removed) == (1, 1)
    assert {c.target for c in rec.citations.all()} == {evidence["question"], evidence["post"]}


def test_the_citations_page_drops_only_what_was_shown_and_unticked(
    client, drafting_jury, juror, other_juror, evidence
):
    rec = drafting.propose(drafting_jury, juror, **WORDING, citations=[evidence["item"]])
    citations = url("recommendation-citations", drafting_jury, rec.number)
    client.force_login(juror)
    shown = hidden(client.get(citations).content.decode(), "shown")
    drafting.add_citation(rec, other_juror, evidence["question"])
    response = client.post(citations, {"shown": shown})  # the juror unticked the item
    assert response.status_code == 302
    assert [c.target for c in rec.citations.all()] == [evidence["question"]]


def test_a_ticked_post_no_longer_cited_gets_a_message_beside_the_posts(
    client, drafting_jury, juror, other_juror, evidence
):
    rec = drafting.propose(drafting_jury, juror, **WORDING, citations=[evidence["post"]])
    citations = url("recommendation-citations", drafting_jury, rec.number)
    client.force_login(juror)
    shown = hidden(client.get(citations).content.decode(), "shown")
    drafting.update_citations(rec, other_juror, [])
    response = client.post(citations, {"posts": [evidence["post"].pk], "shown": shown})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'aria-describedby="id_posts_error"' in page
    assert re.search(r'id="id_posts_error">.*is no longer cited', page)


# Amendments written against an older version -------------------------------------------------


def test_an_amendment_to_an_older_version_cannot_be_accepted_but_can_be_set_aside(
    drafting_jury, juror, other_juror, facilitator
):
    rec = propose(drafting_jury, juror)
    amendment = amend(rec, other_juror)
    drafting.revise(rec, juror, **reworded(rationale="Clearer reasons."), note="x")
    with pytest.raises(drafting.DraftingError, match="has changed since this amendment"):
        amendments.accept_amendment(amendment, facilitator)
    rec.refresh_from_db()
    assert (rec.rationale, rec.revision_count) == ("Clearer reasons.", 2)
    amendments.reject_amendment(amendment, facilitator)
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.REJECTED


def test_a_quick_vote_for_an_outdated_amendment_is_not_applied(
    drafting_jury, juror, other_juror, facilitator
):
    rec = propose(drafting_jury, juror)
    amendment = amendments.put_amendment_to_vote(amend(rec, other_juror), facilitator)
    amendments.vote_on_amendment(amendment, juror, agree=True)
    drafting.revise(rec, juror, **reworded(rationale="Clearer reasons."), note="x")
    with pytest.raises(drafting.DraftingError, match="Ask its proposer to propose it again"):
        amendments.close_amendment_vote(amendment, facilitator)
    rec.refresh_from_db()
    amendment.refresh_from_db()
    assert rec.rationale == "Clearer reasons." and rec.revision_count == 2
    assert amendment.state == AmendmentState.VOTING
    amendments.reject_amendment(amendment, facilitator)


def test_the_decide_page_explains_why_an_outdated_amendment_cannot_be_accepted(
    client, drafting_jury, juror, other_juror, facilitator
):
    rec = propose(drafting_jury, juror)
    amendment = amend(rec, other_juror)
    drafting.revise(rec, juror, **reworded(rationale="Clearer reasons."), note="x")
    decide = url("amendment-decide", drafting_jury, rec.number, amendment.pk)
    client.force_login(facilitator)
    page = client.get(decide).content.decode()
    assert "has changed since this amendment was proposed" in page
    assert 'value="accept"' not in page and 'value="reject"' in page
    response = client.post(decide, {"do": "accept"})
    assert response.status_code == 400
    assert "Ask its proposer to propose it again" in response.content.decode()
    rec.refresh_from_db()
    assert rec.revision_count == 2


# Two facilitators adding a theme at once (PostgreSQL) ------------------------------------------


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="SQLite serialises writers anyway; the row lock matters on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_facilitators_adding_the_same_theme_at_once_get_a_message(
    drafting_jury, facilitator, monkeypatch
):
    barrier = threading.Barrier(2)
    check_title = drafting._theme_title

    def check_then_wait(*args, **kwargs):
        title = check_title(*args, **kwargs)
        # Without the jury's lock both have checked the title before either saves; with it,
        # the other one waits for this one to finish, so this wait times out.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return title

    monkeypatch.setattr(drafting, "_theme_title", check_then_wait)
    outcomes = []

    def create():
        try:
            drafting.create_theme(Jury.objects.get(pk=drafting_jury.pk), facilitator, "Fairness")
            outcomes.append("created")
        except drafting.DraftingError:
            outcomes.append("told")
        except Exception as error:  # reported below, so the test shows what went wrong
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["created", "told"]
    assert drafting_jury.themes.count() == 1
