"""From a draft to an answer, in real browsers, each person in a browser of their own, with
axe-core on every page (issue 5, acceptance check 1).

Jo proposes a recommendation citing an evidence item and Kim improves its wording; the jury moves
to the decision stage; Fran (facilitator) sets the rules and opens the vote after a confirmation
page; Jo and Kim vote; Fran closes the vote; Kim writes a statement of dissent and Jo adds her
name; the jury moves to the report stage; both jurors sign off; Fran publishes the report after a
confirmation page; its page shows the SHA-256, and a visitor checks a downloaded copy against
it; Ola (oversight) answers the recommendation; Jo finds the answer on the accountability page and
on the recommendation's page.

Everything the people do goes through the pages, by keyboard (Tab to a control, then Enter or
Space; only the date picker and the file chooser are filled in directly). Only the two stage
moves are made directly with the stage service. Tasks run immediately
in tests, so the PDF is made while the report is published.
"""

import hashlib
import re
from pathlib import Path
from unittest import mock

import pytest
from django.test import Client

from evidence.demo import seed_evidence
from juries.models import Stage, Visibility
from juries.stages import change_stage
from voting import decisions, drafting, reports
from voting.models import (
    Ballot,
    Citation,
    Dissent,
    Recommendation,
    Report,
    ReportFile,
    Response,
    SignOff,
    Vote,
)

from .conftest import last_mail_to, tab_to, type_into

pytestmark = pytest.mark.e2e

PACK = "How the score works"
ITEM = "The department's proposal"
STATEMENT = "Publish the risk model's error rates every year."
BETTER = "Publish the risk model's error rates every year, for each group of claimants."
RATIONALE = "People flagged wrongly have a right to know how often the model is wrong."
ADDRESSED_TO = "Department for Work and Welfare"
NOTE = "Said which figures to publish."
REASON = "Nobody can check the model without its error rates."
DISSENT = "Once a year is too slow: the rates should be published every quarter."
ANSWER = "We will publish the error rates each year, starting next April."
ACTION = "An annual table of error rates on the department's website."
OWNER = "Head of Claims Integrity Analytics"


def signed_in(browse, user):
    """A new browser context signed in as `user`, with a test client of its own (logging a
    second person in through one client would sign the first out)."""
    browsing = without_live_socket(browse())
    browsing.sign_in_as(Client(), user)
    return browsing


def without_live_socket(browsing):
    """Answer the pages' WebSocket in the browser, so it never reaches the server. The WSGI live
    server cannot answer one: the page would retry it while the next page loads, and two
    requests writing at once (allauth records every signed-in request) lock SQLite's shared
    in-memory test database ("database table is locked"). Live updates are tested with the ASGI
    server in test_live_deliberation.py."""
    browsing.context.route_web_socket("**/ws/**", lambda socket: None)
    return browsing


def press_button(browsing, name, status=200):
    """Tab to a button and press Enter: the form posts and the next page is checked."""
    page = browsing.page
    tab_to(page, page.get_by_role("button", name=name, exact=True))
    browsing.press("Enter", status=status)


def follow_link(browsing, name):
    page = browsing.page
    tab_to(page, page.get_by_role("link", name=name, exact=True))
    browsing.press("Enter")


def replace_text(page, locator, text):
    """Tab to a filled-in field, select what is there and type over it."""
    tab_to(page, locator)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def tick(page, locator):
    """Tab to a checkbox or radio button and press Space."""
    tab_to(page, locator)
    page.keyboard.press("Space")


def shows(page, text):
    return page.get_by_text(text, exact=False).first.is_visible()


# --- Drafting --------------------------------------------------------------------------------


def juror_proposes_citing_an_item(browsing, jury, item):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/recommendations/")
    follow_link(browsing, "Propose a recommendation")
    type_into(page, page.get_by_label("The recommendation"), STATEMENT)
    type_into(page, page.get_by_label("Why"), RATIONALE)
    type_into(page, page.get_by_label("Who should act"), ADDRESSED_TO)
    tick(page, page.locator(f"#cite-item-{item.pk}"))
    assert page.locator(f"#cite-item-{item.pk}").is_checked()
    press_button(browsing, "Propose it")
    assert shows(page, "Your recommendation is number 1.")
    assert page.get_by_role("heading", name="Recommendation 1", exact=True).is_visible()
    cited = page.locator(
        "section", has=page.get_by_role("heading", name="The evidence it rests on")
    )
    assert cited.get_by_role("link", name=ITEM).is_visible()

    # Both directions: the item shows the recommendation that cites it.
    tab_to(page, cited.get_by_role("link", name=ITEM))
    browsing.press("Enter")
    citing = page.locator(
        "section", has=page.get_by_role("heading", name="Recommendations that cite this")
    )
    assert citing.get_by_role("link", name="Recommendation 1").is_visible()
    assert citing.get_by_text(STATEMENT).is_visible()


def other_juror_improves_the_wording(browsing, jury):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/recommendations/1/")
    follow_link(browsing, "Improve the wording")
    assert page.get_by_label("The recommendation").input_value() == STATEMENT
    replace_text(page, page.get_by_label("The recommendation"), BETTER)
    type_into(page, page.get_by_label("What you changed"), NOTE)
    press_button(browsing, "Save the new wording")
    assert shows(page, "Your changes are saved.")
    assert page.locator("#wording-title + p").inner_text().strip() == BETTER

    follow_link(browsing, "2 versions: see the history")
    newest = page.locator("section.card", has=page.get_by_role("heading", name="Version 2"))
    assert newest.get_by_text("By Kim").is_visible()
    assert newest.get_by_text(NOTE).is_visible()
    assert newest.locator(".diff").first.is_visible()  # the readable diff
    first = page.locator("section.card", has=page.get_by_role("heading", name="Version 1"))
    assert first.get_by_text("By Jo").is_visible()


# --- Deciding --------------------------------------------------------------------------------


def facilitator_sets_the_rules_and_opens_the_vote(browsing, jury):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/vote/")
    replace_text(page, page.get_by_label("jurors who must vote (%)", exact=False), "100")
    press_button(browsing, "Save the rules")
    assert shows(page, "The rules are saved.")
    assert shows(page, "at least 100% of the jurors cast a ballot")

    follow_link(browsing, "Open the vote")  # a confirmation page first
    assert page.get_by_role("heading", name="Open the vote?").is_visible()
    assert page.locator("ol li", has_text=BETTER).is_visible()
    press_button(browsing, "Open the vote")
    assert shows(page, "The vote is open.")
    assert shows(page, "0 of 2 jurors have voted so far.")


def juror_votes(browsing, jury, *, arrow_downs, reason=""):
    """Vote on the only recommendation: Tab into the radio group (it lands on the first level),
    move down with the arrow keys, then save the ballot."""
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/vote/")
    ballot = page.get_by_role("group", name=re.compile(r"^Recommendation 1:"))
    tab_to(page, ballot.get_by_role("radio", name="Strongly support"))
    if arrow_downs:
        for _ in range(arrow_downs):
            page.keyboard.press("ArrowDown")
    else:
        page.keyboard.press("Space")
    if reason:
        type_into(page, ballot.get_by_label("Your reason"), reason)
        tick(page, ballot.get_by_label("Publish my reason without my name"))
    press_button(browsing, "Save my ballot")
    assert shows(page, "Your ballot is saved. You can change it until the vote closes.")


def facilitator_closes_the_vote(browsing, jury):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/vote/")
    assert shows(page, "2 of 2 jurors have voted so far.")
    follow_link(browsing, "Close the vote")  # a confirmation page first
    assert page.get_by_role("heading", name="Close the vote?").is_visible()
    press_button(browsing, "Close the vote and count it")
    assert shows(page, "The vote is closed and counted.")
    assert shows(page, "1 of 1 recommendation adopted")
    result = page.locator(
        "section.result", has=page.get_by_role("heading", name=re.compile("^Recommendation 1"))
    )
    assert result.get_by_role("heading", name="Recommendation 1: Adopted").is_visible()
    result.locator("summary").click()  # the count and the reasons are folded away at first
    counts = {
        row.locator("th").inner_text(): row.locator("td").inner_text()
        for row in result.locator("tbody tr").all()
    }
    assert counts == {
        "Strongly support": "1",
        "Support": "1",
        "Can live with it": "0",
        "Oppose": "0",
        "Strongly oppose": "0",
        "I abstain": "0",
    }
    assert result.get_by_text(REASON).is_visible()  # published without a name


def juror_writes_dissent(browsing, jury):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/recommendations/1/")
    follow_link(browsing, "Write a statement of dissent about this recommendation")
    assert page.get_by_label("What do you disagree with?").input_value() == "1"
    type_into(page, page.get_by_label("Your statement of dissent"), DISSENT)
    press_button(browsing, "Save my statement")
    assert shows(page, "Your statement of dissent is saved with your name.")
    statement = page.locator("li.post", has_text=DISSENT)
    assert statement.get_by_text("Signed by 1 juror: Kim").is_visible()


def other_juror_adds_her_name(browsing, jury):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/dissent/")
    statement = page.locator("li.post", has_text=DISSENT)
    tab_to(page, statement.get_by_role("button", name=re.compile("^Add my name")))
    browsing.press("Enter")
    assert shows(page, "Your name is on that statement of dissent.")
    assert statement.get_by_text("Signed by 2 jurors: Kim, Jo").is_visible()


# --- The report ------------------------------------------------------------------------------


def juror_signs_off(browsing, jury, confirmed):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/report/")
    tick(page, page.get_by_role("radio", name="I confirm this is the jury's final text"))
    press_button(browsing, "Save my answer")
    assert shows(page, "Thank you. Your answer is recorded.")
    assert shows(page, f"{confirmed} confirmed, 0 objected, {2 - confirmed} not yet.")


def facilitator_publishes_the_report(browsing, jury):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/report/")
    follow_link(browsing, "Publish the report")  # a confirmation page first
    assert page.get_by_role("heading", name="Publish the report?").is_visible()
    assert shows(page, "Sign-off so far: 2 confirmed, 0 objected, 0 not yet.")
    press_button(browsing, "Publish the report now")
    assert shows(page, "The report is published. Its content can no longer change.")
    assert page.url.endswith(f"/juries/{jury.slug}/report/v1/")


def version_page_shows_the_sha256_and_the_pdf(browsing, report):
    page = browsing.page
    files = page.get_by_role("table", name="The files of version 1")
    assert files.get_by_text(report.sha256).is_visible()
    pdf = ReportFile.objects.get(report=report, format="pdf")
    assert pdf.is_ready, (pdf.state, pdf.error)
    assert files.get_by_role("link", name="Download the PDF").is_visible()
    assert files.get_by_text(pdf.sha256).is_visible()
    report_text = page.locator("#recommendation-1")
    assert report_text.get_by_text(BETTER).is_visible()
    assert report_text.get_by_text(DISSENT).is_visible()
    assert page.get_by_text("Of 2 jurors, 2 confirmed the final text").is_visible()


def download(page, link_name):
    """Press Enter on a download link and return the download."""
    tab_to(page, page.get_by_role("link", name=link_name, exact=True))
    with page.expect_download() as downloading:
        page.keyboard.press("Enter")
    return downloading.value


def visitor_checks_a_downloaded_copy(browsing, jury, report):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/report/")
    assert page.url.endswith(f"/juries/{jury.slug}/report/v1/")
    json_file = download(page, "Download the JSON")
    data = Path(json_file.path()).read_bytes()
    assert hashlib.sha256(data).hexdigest() == report.sha256
    pdf_file = download(page, "Download the PDF")
    pdf_data = Path(pdf_file.path()).read_bytes()
    assert pdf_data.startswith(b"%PDF")
    assert page.get_by_text(hashlib.sha256(pdf_data).hexdigest()).is_visible()

    follow_link(browsing, "Check a file you downloaded")
    page.get_by_label("The file you downloaded").set_input_files(json_file.path())
    press_button(browsing, "Check the file")
    assert page.get_by_role("heading", name="It matches", exact=True).is_visible()
    assert shows(page, "The JSON of version 1, byte for byte, as the jury's audit log recorded it")


# --- The answer ------------------------------------------------------------------------------


def oversight_member_answers(browsing, jury):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/home/")
    # Told on their jury's home page, beside the sections' navigation.
    next_step = page.get_by_role("region").get_by_role("link", name="Answer the recommendations")
    tab_to(page, next_step)
    browsing.press("Enter")
    follow_link(browsing, "Answer recommendation 1")
    assert page.get_by_role("heading", name="Answer recommendation 1").is_visible()
    tick(page, page.get_by_role("radio", name="Accepted", exact=True))
    type_into(page, page.get_by_label("Reasons"), ANSWER)
    type_into(page, page.get_by_label("What will be done"), ACTION)
    type_into(page, page.get_by_label("Who is responsible"), OWNER)
    due = page.get_by_label("By when")
    tab_to(page, due)
    due.fill("2027-04-30")  # a date picker: typed the way the browser's own control accepts it
    press_button(browsing, "Publish the answer")
    assert shows(page, "Your answer to recommendation 1 is published.")
    card = page.locator("#recommendation-1")
    assert card.get_by_text("Your answer:").is_visible()
    assert card.locator(".tag", has_text="Accepted").is_visible()


def juror_sees_the_answer(browsing, jury):
    page = browsing.page
    browsing.goto(f"/juries/{jury.slug}/home/")
    follow_link(browsing, "Answers")
    card = page.locator("#recommendation-1")
    assert card.get_by_text(BETTER).is_visible()
    assert card.locator(".tag", has_text="Accepted").is_visible()
    assert card.get_by_text(ANSWER).is_visible()
    assert card.get_by_text(OWNER).is_visible()
    assert card.get_by_text("30 April 2027").is_visible()

    browsing.goto(f"/juries/{jury.slug}/recommendations/1/")
    panel = page.locator(
        "section", has=page.get_by_role("heading", name="The oversight body's answer")
    )
    assert panel.locator(".tag", has_text="Accepted").is_visible()
    assert panel.get_by_text(ANSWER).is_visible()
    assert panel.get_by_text(ACTION).is_visible()


def test_jurors_draft_vote_dissent_and_sign_off_the_report_is_published_and_answered(
    browse, jury, facilitator, juror, other_juror, oversight
):
    jury.stage = Stage.DRAFTING
    jury.visibility = Visibility.PUBLIC
    jury.save(update_fields=["stage", "visibility"])
    seed_evidence(jury, facilitator)
    item = jury.evidence_packs.get(title=PACK).items.get(title=ITEM)
    jo = signed_in(browse, juror)
    kim = signed_in(browse, other_juror)
    fran = signed_in(browse, facilitator)

    juror_proposes_citing_an_item(jo, jury, item)
    recommendation = Recommendation.objects.get(jury=jury)
    assert (recommendation.number, recommendation.proposed_by) == (1, juror)
    assert Citation.objects.get(recommendation=recommendation).item == item
    other_juror_improves_the_wording(kim, jury)
    assert list(recommendation.revisions.values_list("number", "author")) == [
        (1, juror.pk),
        (2, other_juror.pk),
    ]

    change_stage(jury=jury, to_stage=Stage.DECISION, by=facilitator)
    facilitator_sets_the_rules_and_opens_the_vote(fran, jury)
    vote = Vote.objects.get(jury=jury)
    assert (vote.state, vote.quorum_percent) == ("open", 100)
    assert last_mail_to(juror.email).subject.startswith("Voting is open")
    juror_votes(jo, jury, arrow_downs=0, reason=REASON)
    juror_votes(kim, jury, arrow_downs=1)
    assert Ballot.objects.filter(vote=vote).count() == 2
    facilitator_closes_the_vote(fran, jury)

    juror_writes_dissent(kim, jury)
    other_juror_adds_her_name(jo, jury)
    assert Dissent.objects.get().signers.count() == 2

    change_stage(jury=jury, to_stage=Stage.REPORT, by=facilitator)
    juror_signs_off(jo, jury, confirmed=1)
    juror_signs_off(kim, jury, confirmed=2)
    assert SignOff.objects.filter(jury=jury, choice="confirm").count() == 2
    facilitator_publishes_the_report(fran, jury)
    report = Report.objects.get(jury=jury)
    jury.refresh_from_db()
    assert jury.stage == Stage.RESPONSE
    version_page_shows_the_sha256_and_the_pdf(fran, report)
    assert report.get_absolute_url() in last_mail_to(oversight.email).body

    visitor = without_live_socket(browse())  # anyone: the jury is public
    visitor_checks_a_downloaded_copy(visitor, jury, report)

    ola = signed_in(browse, oversight)
    oversight_member_answers(ola, jury)
    response = Response.objects.get(recommendation=recommendation)
    assert (response.status, response.owner, response.answered_by) == (
        "accepted",
        OWNER,
        oversight,
    )
    assert ANSWER in last_mail_to(juror.email).body
    juror_sees_the_answer(jo, jury)


def test_a_pdf_that_could_not_be_made_is_made_again_from_the_report_page(
    browse, jury, facilitator, juror
):
    """The version page says the PDF could not be made and lets a facilitator try again; the
    worker (immediate in tests) makes it and the page offers the download."""
    jury.stage = Stage.DRAFTING
    jury.save(update_fields=["stage"])
    recommendation = drafting.propose(jury, juror, STATEMENT, RATIONALE, ADDRESSED_TO)
    change_stage(jury=jury, to_stage=Stage.DECISION, by=facilitator)
    vote = decisions.prepare_vote(jury, facilitator)
    decisions.open_vote(vote, facilitator)
    decisions.cast_ballot(vote, recommendation, juror, "support")
    decisions.close_vote(vote, facilitator)
    change_stage(jury=jury, to_stage=Stage.REPORT, by=facilitator)
    with mock.patch("voting.report_files.render_pdf", side_effect=OSError("No fonts")):
        report = reports.publish_report(jury, facilitator)
    assert ReportFile.objects.get(report=report, format="pdf").state == "failed"

    fran = signed_in(browse, facilitator)
    page = fran.page
    fran.goto(report.get_absolute_url())
    assert shows(page, "The PDF could not be made.")
    assert shows(page, "What went wrong: OSError: No fonts")
    press_button(fran, "Try making the PDF again")
    assert shows(page, "The PDF will be made again.")
    assert page.get_by_role("link", name="Download the PDF").is_visible()
    assert ReportFile.objects.get(report=report, format="pdf").is_ready
