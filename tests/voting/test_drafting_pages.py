"""Drafting pages as jurors, facilitators and observers use them: proposing, the list by theme,
revising and the history, citations, amendments and quick votes, themes and merging."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.voting.drafting_helpers import add_item, evidence_for
from voting import amendments, drafting
from voting.models import AmendmentState, Recommendation, RecommendationState, Vote

WORDING = {
    "statement": "Publish the error rates every year.",
    "rationale": "People flagged wrongly should know how often it happens.",
    "addressed_to": "Department for Benefits",
}


@pytest.fixture
def drafting_jury(at_stage):
    return at_stage("drafting")


@pytest.fixture
def evidence(drafting_jury, facilitator, juror):
    return evidence_for(drafting_jury, facilitator=facilitator, juror=juror)


def url(name, jury, *args):
    return reverse(f"voting:{name}", args=[jury.slug, *args])


def propose(jury, by, **changes):
    return drafting.propose(jury, by, **{**WORDING, **changes})


def form_data(**changes):
    return {**WORDING, "submission_key": "", **changes}


# Proposing ---------------------------------------------------------------------------------


def test_a_proposed_recommendation_appears_in_the_list(client, drafting_jury, juror, evidence):
    client.force_login(juror)
    response = client.post(
        url("recommendation-create", drafting_jury),
        form_data(
            items=[evidence["item"].pk],
            questions=[evidence["question"].pk],
            post_links=evidence["post"].get_absolute_url(),
        ),
    )
    rec = Recommendation.objects.get(jury=drafting_jury)
    assert response.status_code == 302 and response.url == rec.get_absolute_url()
    assert {c.target for c in rec.citations.all()} == {
        evidence["item"],
        evidence["question"],
        evidence["post"],
    }
    page = client.get(url("recommendations", drafting_jury)).content.decode()
    assert "Publish the error rates every year." in page
    assert "No theme yet" in page
    assert "Proposed by Jo" in page


def test_the_form_shows_the_jurys_published_evidence_grouped_by_pack(
    client, drafting_jury, juror, evidence
):
    client.force_login(juror)
    page = client.get(url("recommendation-create", drafting_jury)).content.decode()
    assert "<legend>The system</legend>" in page
    assert evidence["item"].title in page
    assert evidence["question"].text in page
    assert "A draft" not in page  # its pack is not published
    assert "Who checks?" not in page  # not answered


def test_a_form_with_errors_keeps_what_was_typed(client, drafting_jury, juror, evidence):
    client.force_login(juror)
    response = client.post(
        url("recommendation-create", drafting_jury),
        form_data(
            rationale="",
            statement="Stop using the score <for now>",
            items=[evidence["item"].pk],
            post_links="not a link",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Stop using the score &lt;for now&gt;" in page
    assert f'value="{evidence["item"].pk}" id="cite-item-{evidence["item"].pk}" checked' in page
    assert "is not a link to a post" in page
    assert not Recommendation.objects.exists()


def test_another_jurys_evidence_is_refused_on_the_form(
    client, drafting_jury, juror, facilitator, make_jury
):
    other = make_jury(slug="other-jury", stage="drafting")
    theirs = evidence_for(other, facilitator=facilitator, juror=juror)
    client.force_login(juror)
    response = client.post(
        url("recommendation-create", drafting_jury),
        form_data(items=[theirs["item"].pk], post_links=str(theirs["post"].pk)),
    )
    assert response.status_code == 400
    assert "Choose evidence from this jury" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_sending_the_same_form_twice_proposes_once(client, drafting_jury, juror):
    client.force_login(juror)
    data = form_data(submission_key="same-key-123")
    first = client.post(url("recommendation-create", drafting_jury), data)
    second = client.post(url("recommendation-create", drafting_jury), data)
    assert first.status_code == second.status_code == 302
    assert Recommendation.objects.filter(jury=drafting_jury).count() == 1
    assert second.url == first.url


# The list ----------------------------------------------------------------------------------


def test_the_list_groups_recommendations_by_theme_with_their_threads(
    client, drafting_jury, juror, facilitator
):
    theme = drafting.create_theme(drafting_jury, facilitator, "Openness")
    propose(drafting_jury, juror, theme=theme)
    propose(drafting_jury, juror, statement="Let people appeal.")
    client.force_login(juror)
    page = client.get(url("recommendations", drafting_jury)).content.decode()
    assert (
        page.index("Openness")
        < page.index("Publish the error rates")
        < page.index("No theme yet")
        < page.index("Let people appeal.")
    )
    assert (
        reverse("deliberate:discuss", args=[drafting_jury.slug, "voting.theme", theme.pk]) in page
    )
    assert 'aria-current="page">Recommendations<' in page


def test_the_empty_list_tells_jurors_how_to_propose(client, drafting_jury, juror):
    client.force_login(juror)
    page = client.get(url("recommendations", drafting_jury)).content.decode()
    assert "Nobody has proposed a recommendation yet" in page
    assert "Propose the first recommendation" in page


def test_the_list_page_does_not_make_more_queries_for_more_recommendations(
    client, drafting_jury, juror, facilitator, evidence, django_assert_max_num_queries
):
    theme = drafting.create_theme(drafting_jury, facilitator, "Openness")

    def add(n):
        for i in range(n):
            rec = propose(
                drafting_jury, juror, statement=f"Rec {i}", theme=theme if i % 2 else None
            )
            drafting.add_citation(rec, juror, evidence["item"])
            amendments.propose_amendment(rec, juror, **{**WORDING, "statement": "x"}, reason="r")

    client.force_login(juror)
    add(3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url("recommendations", drafting_jury)).status_code == 200
    add(12)
    assert Recommendation.objects.count() == 15
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url("recommendations", drafting_jury)).content.decode()
    assert "Rec 11" in page


def test_merged_recommendations_are_listed_apart(client, drafting_jury, juror, facilitator):
    keep, other = propose(drafting_jury, juror), propose(drafting_jury, juror, statement="Other")
    drafting.merge(keep, other, facilitator, **WORDING)
    client.force_login(juror)
    page = client.get(url("recommendations", drafting_jury)).content.decode()
    assert "merged into recommendation 1" in page


# One recommendation ------------------------------------------------------------------------


def test_the_page_shows_wording_proposer_citations_and_a_discussion_link(
    client, drafting_jury, juror, evidence
):
    rec = drafting.propose(
        drafting_jury, juror, **WORDING, citations=[evidence["item"], evidence["post"]]
    )
    client.force_login(juror)
    page = client.get(rec.get_absolute_url()).content.decode()
    assert WORDING["rationale"] in page and "Proposed by Jo" in page
    assert reverse("evidence:item", args=[drafting_jury.slug, evidence["item"].pk]) in page
    assert f"#post-{evidence['post'].pk}" in page
    discuss = reverse(
        "deliberate:discuss", args=[drafting_jury.slug, "voting.recommendation", rec.pk]
    )
    assert discuss in page
    assert "Improve the wording" in page


def test_an_observer_reads_but_sees_no_writing_controls(client, drafting_jury, juror, observer):
    rec = propose(drafting_jury, juror)
    client.force_login(observer)
    page = client.get(rec.get_absolute_url()).content.decode()
    assert WORDING["statement"] in page
    assert "Improve the wording" not in page and "For facilitators" not in page


def test_once_the_vote_opens_jurors_are_told_and_cannot_revise(client, drafting_jury, juror):
    rec = propose(drafting_jury, juror)
    Vote.objects.create(jury=drafting_jury, state="open")
    client.force_login(juror)
    page = client.get(rec.get_absolute_url()).content.decode()
    assert "The vote has started" in page and "Improve the wording" not in page
    response = client.post(
        url("recommendation-revise", drafting_jury, rec.number), form_data(note="x", statement="Y")
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.revision_count == 1


# Revising and the history ------------------------------------------------------------------


def test_revising_keeps_the_earlier_wording_and_the_history_shows_the_diff(
    client, drafting_jury, juror, other_juror
):
    rec = propose(drafting_jury, juror)
    client.force_login(other_juror)
    form = client.get(url("recommendation-revise", drafting_jury, rec.number)).content.decode()
    assert WORDING["statement"] in form  # prefilled
    response = client.post(
        url("recommendation-revise", drafting_jury, rec.number),
        form_data(statement="Publish the error rates every month.", note="More often"),
    )
    assert response.status_code == 302
    page = client.get(url("recommendation-history", drafting_jury, rec.number)).content.decode()
    assert "Version 2" in page and "Version 1" in page
    assert "By Kim" in page and "By Jo" in page and "More often" in page
    assert re.search(r"<del><span class=\"visually-hidden\">removed: </span>year.</del>", page)
    assert re.search(r"<ins><span class=\"visually-hidden\">added: </span>month.</ins>", page)


def test_a_revision_without_changes_is_shown_again_with_a_message(client, drafting_jury, juror):
    rec = propose(drafting_jury, juror)
    client.force_login(juror)
    response = client.post(
        url("recommendation-revise", drafting_jury, rec.number), form_data(note="Nothing")
    )
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()


def test_a_revision_needs_a_note(client, drafting_jury, juror):
    rec = propose(drafting_jury, juror)
    client.force_login(juror)
    response = client.post(
        url("recommendation-revise", drafting_jury, rec.number), form_data(statement="New")
    )
    assert response.status_code == 400
    assert 'value="New"' not in response.content.decode()  # a textarea, not an input
    assert "New</textarea>" in response.content.decode()
    assert 'href="#id_note"' in response.content.decode()


# Citations ---------------------------------------------------------------------------------


def test_jurors_change_what_a_recommendation_cites(client, drafting_jury, juror, evidence):
    rec = drafting.propose(drafting_jury, juror, **WORDING, citations=[evidence["post"]])
    later = add_item(evidence["item"].pack, "Added later")
    client.force_login(juror)
    page = client.get(url("recommendation-citations", drafting_jury, rec.number)).content.decode()
    assert f'value="{evidence["post"].pk}" id="cite-post-{evidence["post"].pk}" checked' in page
    shown = re.findall(r'name="shown" value="(\d+)"', page)
    assert shown == [str(rec.citations.get().pk)]
    response = client.post(
        url("recommendation-citations", drafting_jury, rec.number),
        {"items": [later.pk], "questions": [evidence["question"].pk], "shown": shown},
    )
    assert response.status_code == 302
    assert {c.target for c in rec.citations.all()} == {later, evidence["question"]}


def test_the_evidence_item_page_shows_the_recommendations_citing_it(
    client, drafting_jury, juror, evidence
):
    rec = drafting.propose(drafting_jury, juror, **WORDING, citations=[evidence["item"]])
    client.force_login(juror)
    page = client.get(
        reverse("evidence:item", args=[drafting_jury.slug, evidence["item"].pk])
    ).content.decode()
    assert "Recommendations that cite this" in page
    assert rec.get_absolute_url() in page


def test_the_question_page_shows_the_recommendations_citing_its_answer(
    client, drafting_jury, juror, evidence
):
    rec = drafting.propose(drafting_jury, juror, **WORDING, citations=[evidence["question"]])
    client.force_login(juror)
    page = client.get(evidence["question"].get_absolute_url()).content.decode()
    assert rec.get_absolute_url() in page


def test_people_who_may_not_read_recommendations_see_no_citing_list(
    client, drafting_jury, juror, witness, evidence
):
    drafting.propose(drafting_jury, juror, **WORDING, citations=[evidence["item"]])
    client.force_login(witness)
    page = client.get(
        reverse("evidence:item", args=[drafting_jury.slug, evidence["item"].pk])
    ).content.decode()
    assert "Recommendations that cite this" not in page
    assert "Publish the error rates" not in page


def test_before_drafting_the_evidence_page_lists_no_recommendations(
    client, drafting_jury, juror, evidence, at_stage
):
    drafting.propose(drafting_jury, juror, **WORDING, citations=[evidence["item"]])
    at_stage("deliberation")
    client.force_login(juror)
    page = client.get(
        reverse("evidence:item", args=[drafting_jury.slug, evidence["item"].pk])
    ).content.decode()
    assert "Recommendations that cite this" not in page


# Amendments --------------------------------------------------------------------------------


def test_a_juror_proposes_an_amendment_and_the_facilitator_accepts_it(
    client, drafting_jury, juror, other_juror, facilitator
):
    rec = propose(drafting_jury, juror)
    client.force_login(other_juror)
    response = client.post(
        url("amendment-create", drafting_jury, rec.number),
        form_data(statement="Publish them monthly.", reason="Yearly is too slow."),
    )
    assert response.status_code == 302
    amendment = rec.amendments.get()
    client.force_login(facilitator)
    decide = url("amendment-decide", drafting_jury, rec.number, amendment.pk)
    assert "Yearly is too slow." in client.get(decide).content.decode()
    assert client.post(decide, {"do": "accept", "note": "Everyone nodded."}).status_code == 302
    rec.refresh_from_db()
    assert rec.statement == "Publish them monthly."
    assert rec.revisions.get(number=2).author == other_juror
    page = client.get(rec.get_absolute_url()).content.decode()
    assert "Accepted" in page and "Everyone nodded." in page


def test_a_quick_vote_from_the_pages_counts_each_juror_once(
    client, drafting_jury, juror, other_juror, facilitator
):
    rec = propose(drafting_jury, juror)
    amendment = amendments.propose_amendment(
        rec, other_juror, **{**WORDING, "statement": "Monthly."}, reason="Faster"
    )
    client.force_login(facilitator)
    decide = url("amendment-decide", drafting_jury, rec.number, amendment.pk)
    client.post(decide, {"do": "vote"})
    vote = url("amendment-vote", drafting_jury, rec.number, amendment.pk)
    client.force_login(juror)
    page = client.get(rec.get_absolute_url()).content.decode()
    assert "Do you agree with this amendment?" in page
    client.post(vote, {"agree": "no"})
    client.post(vote, {"agree": "yes"})
    assert "You said yes." in client.get(rec.get_absolute_url()).content.decode()
    client.force_login(other_juror)
    client.post(vote, {"agree": "yes"})
    client.force_login(facilitator)
    client.post(decide, {"do": "close"})
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.ACCEPTED
    assert "2 for, 0 against" in amendment.decision_note


def test_deciding_an_amendment_twice_shows_a_message_not_an_error(
    client, drafting_jury, juror, facilitator
):
    rec = propose(drafting_jury, juror)
    amendment = amendments.propose_amendment(
        rec, juror, **{**WORDING, "statement": "Monthly."}, reason="Faster"
    )
    client.force_login(facilitator)
    decide = url("amendment-decide", drafting_jury, rec.number, amendment.pk)
    client.post(decide, {"do": "reject"})
    response = client.post(decide, {"do": "close"})
    assert response.status_code == 400
    assert "no longer waiting" in response.content.decode()


# Themes and merging ------------------------------------------------------------------------


def test_a_facilitator_adds_and_renames_a_theme(client, drafting_jury, facilitator):
    client.force_login(facilitator)
    response = client.post(url("theme-create", drafting_jury), {"title": "Fairness"})
    assert response.status_code == 302
    theme = drafting_jury.themes.get()
    duplicate = client.post(url("theme-create", drafting_jury), {"title": "fairness"})
    assert duplicate.status_code == 400 and "already a theme" in duplicate.content.decode()
    client.post(url("theme-edit", drafting_jury, theme.pk), {"title": "Fair treatment"})
    theme.refresh_from_db()
    assert theme.title == "Fair treatment"


def test_a_facilitator_files_a_recommendation_under_a_theme(
    client, drafting_jury, juror, facilitator
):
    rec = propose(drafting_jury, juror)
    theme = drafting.create_theme(drafting_jury, facilitator, "Openness")
    client.force_login(facilitator)
    client.post(url("recommendation-theme", drafting_jury, rec.number), {"theme": theme.pk})
    rec.refresh_from_db()
    assert rec.theme == theme


def test_merging_from_the_page_prefills_both_and_keeps_both_histories(
    client, drafting_jury, juror, facilitator
):
    keep = propose(drafting_jury, juror)
    other = propose(drafting_jury, juror, statement="Tell people their score.")
    client.force_login(facilitator)
    merge = url("recommendation-merge", drafting_jury, keep.number)
    page = client.get(merge, {"other": other.number}).content.decode()
    assert "Publish the error rates every year.\n\nTell people their score." in page
    response = client.post(
        merge, form_data(other=other.number, statement="Publish rates and tell people.")
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.state == RecommendationState.MERGED
    merged_page = client.get(other.get_absolute_url()).content.decode()
    assert "Merged into" in merged_page and "recommendation 1" in merged_page
    history = client.get(url("recommendation-history", drafting_jury, other.number))
    assert "Tell people their score." in history.content.decode()


def test_after_the_vote_the_list_counts_what_was_voted_on_and_adopted(
    client, at_stage, juror, make_recommendation
):
    from tests.voting.responses_factories import close_vote

    recs = [make_recommendation(f"Recommendation text {n}") for n in range(5)]
    close_vote(at_stage("report"), adopted=recs[:4], not_adopted=recs[4:])
    client.force_login(juror)
    page = client.get(url("recommendations", recs[0].jury)).content.decode()
    assert "being drafted" not in page
    assert "5 recommendations voted on, 4 adopted" in page


def test_while_the_vote_is_open_the_list_says_they_are_being_voted_on(
    client, at_stage, juror, facilitator, make_recommendation
):
    from tests.voting.decisions_helpers import open_the_vote

    make_recommendation()
    make_recommendation("Stop using the score for new claims.")
    jury = at_stage("decision")
    open_the_vote(jury, facilitator)
    client.force_login(juror)
    page = client.get(url("recommendations", jury)).content.decode()
    assert "2 recommendations being voted on" in page
