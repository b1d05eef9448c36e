"""Drafting services: numbering, revisions with their authors, the word diff, citations,
themes, amendments and their quick votes, merging, and refusals once the vote has opened."""

import os
import threading

import pytest
from django.db import connection

from deliberate.models import PostState
from juries.models import AuditEntry, Jury, JuryEvent, Membership, Role
from tests.conftest import make_user
from tests.voting.drafting_helpers import WORDING, add_item, amend, evidence_for, propose
from voting import amendments, drafting
from voting.diff import diff_parts, word_diff
from voting.models import AmendmentState, Citation, RecommendationState, Vote


@pytest.fixture
def drafting_jury(at_stage):
    return at_stage("drafting")


@pytest.fixture
def evidence(drafting_jury, facilitator, juror):
    return evidence_for(drafting_jury, facilitator=facilitator, juror=juror)


# Numbering and revisions ---------------------------------------------------------------------


def test_recommendations_are_numbered_in_order_within_each_jury(
    drafting_jury, juror, other_juror, make_jury
):
    assert propose(drafting_jury, juror).number == 1
    assert propose(drafting_jury, other_juror).number == 2
    other = make_jury(slug="other", stage="drafting")
    stranger = make_user("s@example.org", "S")
    Membership.objects.create(jury=other, user=stranger, role=Role.JUROR)
    assert propose(other, stranger).number == 1


def test_numbers_are_not_reused_after_a_merge(drafting_jury, juror, facilitator):
    first, second = propose(drafting_jury, juror), propose(drafting_jury, juror, statement="B")
    drafting.merge(first, second, facilitator, **WORDING)
    assert propose(drafting_jury, juror).number == 3


def test_the_first_wording_is_kept_as_version_one_by_its_proposer(drafting_jury, juror):
    rec = propose(drafting_jury, juror)
    (revision,) = rec.revisions.all()
    assert (revision.number, revision.author, revision.statement) == (
        1,
        juror,
        WORDING["statement"],
    )
    assert rec.proposed_by == juror


def test_every_revision_is_kept_with_its_author_and_note(drafting_jury, juror, other_juror):
    rec = propose(drafting_jury, juror)
    drafting.revise(
        rec, other_juror, **{**WORDING, "statement": "Publish them monthly."}, note="More often"
    )
    rec.refresh_from_db()
    assert rec.statement == "Publish them monthly." and rec.revision_count == 2
    revisions = list(rec.revisions.order_by("number"))
    assert [(r.number, r.author, r.statement) for r in revisions] == [
        (1, juror, WORDING["statement"]),
        (2, other_juror, "Publish them monthly."),
    ]
    assert revisions[1].note == "More often"


def test_a_revision_that_changes_nothing_is_refused(drafting_jury, juror):
    rec = propose(drafting_jury, juror)
    with pytest.raises(drafting.DraftingError, match="Nothing was changed"):
        drafting.revise(
            rec, juror, **{**WORDING, "statement": f"  {WORDING['statement']} "}, note="x"
        )
    assert rec.revisions.count() == 1


def test_an_empty_wording_is_refused(drafting_jury, juror):
    with pytest.raises(drafting.DraftingError):
        propose(drafting_jury, juror, rationale="   ")
    assert not drafting_jury.recommendations.exists()


def test_changes_are_announced_with_the_number_only(drafting_jury, juror):
    rec = propose(drafting_jury, juror)
    event = JuryEvent.objects.filter(jury=drafting_jury).latest("seq")
    assert event.kind == "recommendation.changed"
    assert event.requires == "view_recommendations"
    assert event.data == {"recommendation": rec.number}


# The diff ----------------------------------------------------------------------------------


def test_the_diff_marks_removed_and_added_words_for_eyes_and_screen_readers():
    html = word_diff("Publish the rates every year.", "Publish the rates every month.")
    assert "Publish the rates every" in html
    assert '<del><span class="visually-hidden">removed: </span>year.</del>' in html
    assert '<ins><span class="visually-hidden">added: </span>month.</ins>' in html


def test_the_diff_escapes_what_jurors_typed():
    html = word_diff("Say no", "Say <script>alert(1)</script> no")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_diff_of_unchanged_text_marks_nothing():
    assert diff_parts("Same words here", "Same  words\there") == [
        ("equal", ["Same", "words", "here"])
    ]
    assert "<ins>" not in word_diff("a b", "a b")


def test_the_diff_keeps_line_breaks():
    html = word_diff("One.\nTwo words.", "One.\nTwo more words.")
    assert html.startswith("One.<br>Two <ins>") and "more</ins> words." in html


# Citations ---------------------------------------------------------------------------------


def test_a_recommendation_cites_published_evidence_answers_and_posts(
    drafting_jury, juror, evidence
):
    rec = drafting.propose(
        drafting_jury,
        juror,
        **WORDING,
        citations=[evidence["item"], evidence["question"], evidence["post"]],
    )
    assert {c.target for c in rec.citations.all()} == {
        evidence["item"],
        evidence["question"],
        evidence["post"],
    }


@pytest.mark.parametrize("name", ["draft_item", "open_question"])
def test_evidence_jurors_cannot_see_or_questions_not_answered_are_refused(
    drafting_jury, juror, evidence, name
):
    with pytest.raises(drafting.DraftingError):
        drafting.propose(drafting_jury, juror, **WORDING, citations=[evidence[name]])
    assert not drafting_jury.recommendations.exists()  # nothing half-saved


def test_another_jurys_evidence_is_refused(drafting_jury, juror, evidence, make_jury, facilitator):
    other = make_jury(slug="other-jury", stage="drafting")
    theirs = evidence_for(other, facilitator=facilitator, juror=juror)
    rec = propose(drafting_jury, juror)
    for name in ("item", "question", "post"):
        with pytest.raises(drafting.DraftingError):
            drafting.add_citation(rec, juror, theirs[name])
    assert not rec.citations.exists()


def test_a_hidden_post_cannot_be_cited(drafting_jury, juror, evidence):
    post = evidence["post"]
    post.state = PostState.HIDDEN
    post.save()
    rec = propose(drafting_jury, juror)
    with pytest.raises(drafting.DraftingError):
        drafting.add_citation(rec, juror, post)


@pytest.mark.parametrize(
    "ref",
    ["https://example.org/juries/x/discussions/12/#post-{pk}", "{pk}", "#post-{pk}", " {pk} "],
)
def test_a_pasted_post_link_or_number_finds_the_post(drafting_jury, evidence, ref):
    post = evidence["post"]
    assert drafting.find_post(drafting_jury, ref.format(pk=post.pk)) == post


def test_a_link_to_nothing_is_refused_with_a_plain_message(drafting_jury, evidence):
    with pytest.raises(drafting.DraftingError, match="is not a link to a post"):
        drafting.find_post(drafting_jury, "https://example.org/elsewhere")


def test_citing_the_same_thing_twice_keeps_one_citation(drafting_jury, juror, evidence):
    rec = propose(drafting_jury, juror)
    drafting.add_citation(rec, juror, evidence["item"])
    drafting.add_citation(rec, juror, evidence["item"])
    assert rec.citations.count() == 1


def test_updating_citations_adds_the_ticked_and_drops_the_rest(drafting_jury, juror, evidence):
    rec = drafting.propose(drafting_jury, juror, **WORDING, citations=[evidence["item"]])
    added, removed = drafting.update_citations(rec, juror, [evidence["question"]])
    assert (added, removed) == (1, 1)
    assert [c.target for c in rec.citations.all()] == [evidence["question"]]


def test_removing_a_citation(drafting_jury, juror, evidence):
    rec = drafting.propose(drafting_jury, juror, **WORDING, citations=[evidence["item"]])
    drafting.remove_citation(rec, juror, rec.citations.get())
    assert not rec.citations.exists()


# Themes ------------------------------------------------------------------------------------


def test_themes_are_created_once_per_title_and_audited(drafting_jury, facilitator):
    theme = drafting.create_theme(drafting_jury, facilitator, "Fairness", "Who is flagged")
    with pytest.raises(drafting.DraftingError, match="already a theme"):
        drafting.create_theme(drafting_jury, facilitator, "fairness")
    assert AuditEntry.objects.filter(action="theme.create", target_id=str(theme.pk)).exists()


def test_a_facilitator_files_a_recommendation_under_a_theme(drafting_jury, juror, facilitator):
    rec = propose(drafting_jury, juror)
    theme = drafting.create_theme(drafting_jury, facilitator, "Openness")
    drafting.set_theme(rec, facilitator, theme)
    rec.refresh_from_db()
    assert rec.theme == theme
    assert AuditEntry.objects.filter(action="recommendation.theme", actor=facilitator).exists()


def test_another_jurys_theme_is_refused(drafting_jury, juror, facilitator, make_jury):
    other = make_jury(slug="other-jury", stage="drafting")
    theirs = drafting.create_theme(other, facilitator, "Theirs")
    with pytest.raises(drafting.DraftingError):
        propose(drafting_jury, juror, theme=theirs)


# Merging -----------------------------------------------------------------------------------


def test_merging_keeps_both_histories_and_moves_the_citations(
    drafting_jury, juror, other_juror, facilitator, evidence
):
    keep = drafting.propose(drafting_jury, juror, **WORDING, citations=[evidence["item"]])
    other = drafting.propose(
        drafting_jury,
        other_juror,
        **{**WORDING, "statement": "Tell people their score."},
        citations=[evidence["item"], evidence["question"]],
    )
    drafting.revise(other, other_juror, **{**WORDING, "statement": "Tell people."}, note="Shorter")
    open_amendment = amend(other, juror)
    merged = {**WORDING, "statement": "Publish error rates and tell people their score."}
    drafting.merge(keep, other, facilitator, **merged, note="Same aim")

    keep.refresh_from_db()
    other.refresh_from_db()
    assert other.state == RecommendationState.MERGED and other.merged_into == keep
    assert keep.statement == merged["statement"]
    assert [(r.number, r.author) for r in keep.revisions.order_by("number")] == [
        (1, juror),
        (2, facilitator),
    ]
    assert other.revisions.count() == 2  # untouched
    assert sorted(c.target.pk for c in keep.citations.all()) == sorted(
        [evidence["item"].pk, evidence["question"].pk]
    )
    assert Citation.objects.filter(recommendation=keep, item=evidence["item"]).count() == 1
    assert other.citations.count() == 2  # its own record stays
    open_amendment.refresh_from_db()
    assert open_amendment.state == AmendmentState.REJECTED
    assert "merged into recommendation 1" in open_amendment.decision_note
    assert AuditEntry.objects.filter(action="recommendation.merge", actor=facilitator).exists()


def test_a_merged_recommendation_can_no_longer_be_changed(drafting_jury, juror, facilitator):
    keep, other = propose(drafting_jury, juror), propose(drafting_jury, juror, statement="B")
    drafting.merge(keep, other, facilitator, **WORDING)
    with pytest.raises(drafting.DraftingError, match="merged into recommendation 1"):
        drafting.revise(other, juror, **{**WORDING, "statement": "C"}, note="x")
    with pytest.raises(drafting.DraftingError):
        drafting.merge(keep, other, facilitator, **WORDING)


def test_a_recommendation_cannot_be_merged_with_itself(drafting_jury, juror, facilitator):
    rec = propose(drafting_jury, juror)
    with pytest.raises(drafting.DraftingError):
        drafting.merge(rec, rec, facilitator, **WORDING)


# Once the vote has opened ------------------------------------------------------------------


@pytest.mark.parametrize("state", ["open", "closed"])
def test_nothing_changes_once_a_vote_has_opened(drafting_jury, juror, facilitator, evidence, state):
    rec = propose(drafting_jury, juror)
    other = propose(drafting_jury, juror, statement="B")
    amendment = amend(rec, juror)
    Vote.objects.create(jury=drafting_jury, state=state)
    attempts = [
        lambda: propose(drafting_jury, juror),
        lambda: drafting.revise(rec, juror, **{**WORDING, "statement": "C"}, note="x"),
        lambda: drafting.add_citation(rec, juror, evidence["item"]),
        lambda: amend(rec, juror, statement="D"),
        lambda: amendments.accept_amendment(amendment, facilitator),
        lambda: drafting.merge(rec, other, facilitator, **WORDING),
        lambda: drafting.set_theme(rec, facilitator, None),
    ]
    for attempt in attempts:
        with pytest.raises(drafting.DraftingError, match="vote has started"):
            attempt()
    rec.refresh_from_db()
    assert rec.revision_count == 1 and not rec.citations.exists()
    assert drafting_jury.recommendations.count() == 2


def test_a_vote_still_being_prepared_does_not_stop_drafting(drafting_jury, juror):
    rec = propose(drafting_jury, juror)
    Vote.objects.create(jury=drafting_jury)  # preparing
    drafting.revise(rec, juror, **{**WORDING, "statement": "C"}, note="x")
    assert rec.revisions.count() == 2


def test_nothing_changes_outside_the_drafting_stage(drafting_jury, juror, at_stage):
    rec = propose(drafting_jury, juror)
    at_stage("decision")
    rec.refresh_from_db()
    with pytest.raises(drafting.DraftingError, match="while the jury is drafting"):
        drafting.revise(rec, juror, **{**WORDING, "statement": "C"}, note="x")
    with pytest.raises(drafting.DraftingError):
        propose(rec.jury, juror)


def test_an_item_added_to_a_published_pack_can_be_cited(drafting_jury, juror, evidence):
    later = add_item(evidence["item"].pack, "Added later")
    rec = propose(drafting_jury, juror)
    drafting.add_citation(rec, juror, later)
    assert rec.citations.get().item == later


# Two jurors at once (PostgreSQL) -------------------------------------------------------------


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="SQLite serialises writers anyway; the row lock matters on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_jurors_proposing_at_the_same_moment_get_different_numbers(
    drafting_jury, juror, other_juror
):
    barrier = threading.Barrier(2)
    numbers, failures = [], []

    def propose_as(person):
        try:
            barrier.wait(timeout=5)
            numbers.append(propose(Jury.objects.get(pk=drafting_jury.pk), person).number)
        except Exception as error:  # reported below, so the test shows what went wrong
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=propose_as, args=(p,)) for p in (juror, other_juror)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures
    assert sorted(numbers) == [1, 2]
