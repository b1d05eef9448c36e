"""Every decisions page each persona may open passes axe-core, at every step of a jury built
through the services: themes, revisions, citations, amendments (one under a quick vote), a merge,
an open vote, a closed one with results and a Schulze ranking, statements of dissent (one hidden),
sign-offs, a report published nine weeks ago with a correction, answers with progress and an
earlier wording, and one adopted recommendation overdue. Forms are also checked showing their
errors. (The whole process driven through the pages is in test_decisions_flow.py.)"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from deliberate import threads as thread_service
from evidence import questions as question_service
from evidence.demo import seed_evidence, seed_register
from evidence.models import Question, Witness
from juries.models import Membership, Role, Stage, Visibility
from juries.stages import change_stage
from tests.conftest import make_user
from voting import amendments, decisions, dissent, drafting, priorities, reports, responses
from voting.tally import Level

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STAGES = ["drafting", "voting", "ranking", "report", "response"]
PERSONAS = ["facilitator", "juror", "observer", "oversight", "witness", "anonymous"]
S, SUP, LIVE, OPP, SOPP, ABST = list(Level)
# Ballots of Jo, Kim (cast while the vote is open), Lee and Sam (cast before it closes), by
# recommendation number: 1, 2 and 3 are adopted, 5 is not, 6 misses the quorum (4 was merged).
BALLOTS = {
    1: [S, SUP, LIVE, S],
    2: [SUP, SUP, ABST, LIVE],
    3: [S, S, SUP, LIVE],
    5: [OPP, SOPP, SUP, OPP],
    6: [SUP, ABST, None, None],
}
PUBLISHED_DAYS_AGO = 63  # the deadline (eight weeks) passed a week ago


@dataclass
class Built:
    jury: object
    people: dict
    recs: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)


def wording(number, statement, addressed_to="Department for Work and Welfare"):
    return {
        "statement": statement,
        "rationale": f"Reasons for recommendation {number}: what the evidence showed us.",
        "addressed_to": addressed_to,
    }


def draft(jury, people):
    """Drafting: evidence, a witness's answer and a post to cite, two themes, six
    recommendations (4 merged into 3), a revision, amendments in every state, the rules set."""
    fran, jo, kim, lee, sam = (people[k] for k in ("facilitator", "juror", "kim", "lee", "sam"))
    jury.stage, jury.visibility = Stage.DRAFTING, Visibility.PUBLIC
    jury.save(update_fields=["stage", "visibility"])
    seed_evidence(jury, fran)
    system = seed_register(jury)
    items = list(jury.evidence_packs.order_by("position").first().items.order_by("position"))
    profile = Witness.objects.create(
        jury=jury,
        user=people["witness"],
        name="Dr Wren Hale",
        role="Statistician",
        standpoint="expert",
        who_pays="Her university.",
    )
    question = Question.objects.create(
        jury=jury, asked_by=jo, witness=profile, item=items[0], text="Who checked the model?"
    )
    question_service.answer(question=question, text="A university team.", by=people["witness"])
    thread = thread_service.start_thread(
        jury=jury, title="Error rates", body="The rates should be public.", by=kim
    )
    open_themes = drafting.create_theme(jury, fran, "Being open", "What people are told.")
    fixing = drafting.create_theme(jury, fran, "Putting things right", "Challenging a score.")
    specs = [
        (jo, open_themes, "Publish the model's error rates every year.", [items[0], question]),
        (kim, open_themes, "Tell flagged claimants why, in plain words.", [thread.posts.get()]),
        (lee, fixing, "Let anyone ask a person to look again within 30 days.", [items[1]]),
        (sam, None, "Give people a way to challenge the score.", [items[1]]),
        (jo, fixing, "Stop using the score for claims under 100 pounds.", []),
        (kim, None, "Ask claimants what they think of the checks.", []),
    ]
    recs = {}
    for number, (by, theme, statement, cited) in enumerate(specs, 1):
        recs[number] = drafting.propose(
            jury, by, **wording(number, statement), theme=theme, citations=cited
        )
    better = {**wording(1, "Publish the model's error rates every year, for each group.")}
    drafting.revise(recs[1], kim, **better, note="Said which figures.", base=1)
    drafting.merge(
        recs[3], recs[4], fran, **wording(3, recs[3].statement + " " + recs[4].statement)
    )
    voting_on = amendments.propose_amendment(
        recs[1], lee, **{**better, "addressed_to": "The department and the council"}, reason="Both."
    )
    amendments.put_amendment_to_vote(voting_on, fran)
    amendments.vote_on_amendment(voting_on, jo, True)
    amendments.vote_on_amendment(voting_on, kim, False)
    waiting = amendments.propose_amendment(
        recs[2], jo, **wording(2, "Tell every flagged claimant why, in a letter."), reason="Post."
    )
    accepted = amendments.propose_amendment(
        recs[5], sam, **wording(5, "Stop using the score for small claims."), reason="Simpler."
    )
    amendments.accept_amendment(accepted, fran, "Everyone agreed in the sitting.")
    rejected = amendments.propose_amendment(recs[6], lee, **wording(6, "Ask."), reason="Short.")
    amendments.reject_amendment(rejected, fran, "The jury preferred the longer wording.")
    decisions.set_rules(jury, fran, threshold_percent=80, quorum_percent=75, ranking=True)
    return Built(
        jury,
        people,
        recs,
        {
            "item": items[0].pk,
            "question": question.pk,
            "open_theme": open_themes.pk,
            "voting_amendment": voting_on.pk,
            "waiting_amendment": waiting.pk,
            "accepted_amendment": accepted.pk,
            "system": system.slug,
        },
    )


def cast(built, jurors, column):
    vote = decisions.current_vote(built.jury)
    for juror, index in zip(jurors, column, strict=True):
        entries = [
            (built.recs[number], levels[index], "", False)
            for number, levels in BALLOTS.items()
            if levels[index]
        ]
        if index == 0:  # Jo publishes a reason, without her name
            entries[0] = (built.recs[1], S, "Nobody can check a model they cannot see.", True)
        decisions.cast_ballots(vote, juror, entries)


def open_vote(built):
    """The vote is open; Jo and Kim have voted; Kim has written dissent, Lee signed it."""
    people, jury = built.people, built.jury
    change_stage(jury=jury, to_stage=Stage.DECISION, by=people["facilitator"])
    decisions.open_vote(decisions.current_vote(jury), people["facilitator"])
    cast(built, [people["juror"], people["kim"]], [0, 1])
    statement = dissent.write_dissent(jury, people["kim"], "A letter is too slow.", built.recs[2])
    dissent.add_signature(statement, people["lee"])
    built.ids["dissent"] = statement.pk


def rank(built):
    """The vote is closed and the ranking open (Kim has ranked); Sam's dissent is hidden."""
    people, jury = built.people, built.jury
    cast(built, [people["lee"], people["sam"]], [2, 3])
    vote = decisions.close_vote(decisions.current_vote(jury), people["facilitator"])
    priorities.open_ranking(vote, people["facilitator"])
    recs = built.recs
    priorities.rank(vote, people["kim"], [recs[3].pk, recs[1].pk, recs[2].pk])
    hidden = dissent.write_dissent(jury, people["sam"], "Ask Mr Smith at number 4.", recs[5])
    dissent.hide_dissent(hidden, people["facilitator"], "It names a person outside the jury.")
    built.ids["hidden_dissent"] = hidden.pk


def check_report(built):
    """The ranking is closed; the jury checks the report: Jo confirms (with whole-report
    dissent), Kim objects, Lee confirms, Sam has not answered."""
    people, jury, recs = built.people, built.jury, built.recs
    vote = decisions.current_vote(jury)
    priorities.rank(vote, people["juror"], [recs[1].pk, recs[3].pk])
    priorities.rank(vote, people["lee"], [recs[1].pk, recs[2].pk, recs[3].pk])
    priorities.close_ranking(vote, people["facilitator"])
    change_stage(jury=jury, to_stage=Stage.REPORT, by=people["facilitator"])
    dissent.write_dissent(jury, people["juror"], "The report says too little about cost.")
    dissent.sign_off(jury, people["juror"], "confirm")
    dissent.sign_off(jury, people["kim"], "object", "The priorities are wrong.")
    dissent.sign_off(jury, people["lee"], "confirm")


def answer(built):
    """Published nine weeks ago and corrected; 1 is accepted with progress, 2 was under
    consideration and is now accepted in part, 3 has no answer and is overdue."""
    people, jury, recs = built.people, built.jury, built.recs
    fran, ola = people["facilitator"], people["oversight"]
    published = timezone.now() - timedelta(days=PUBLISHED_DAYS_AGO)
    # Made as at those dates, like the demo's finished jury (voting/demo.py).
    with mock.patch("django.utils.timezone.now", return_value=published):
        reports.publish_report(jury, fran)
    with mock.patch("django.utils.timezone.now", return_value=published + timedelta(days=2)):
        reports.publish_correction(jury, fran, "A juror's name was misspelt.")
    plan = {"planned_action": "A yearly table.", "owner": "Analytics", "due_by": date(2027, 4, 1)}
    first = responses.record_response(recs[1], ola, "accepted", "We agree.", **plan)
    responses.add_progress(first, ola, "accepted", "The first table is drafted.", 40)
    second = responses.record_response(recs[2], ola, "under_consideration", "We are checking.")
    second = responses.record_response(
        recs[2], ola, "accepted_in_part", "Letters, not texts.", based_on=second.version
    )
    responses.add_progress(second, ola, "accepted_in_part", "New letters are being written.", 10)
    thread_service.start_thread(
        jury=jury, title="The answer", body="Good news.", by=people["juror"], subject=first
    )


STEPS = {"drafting": [], "voting": [open_vote], "ranking": [open_vote, rank]}
STEPS["report"] = [*STEPS["ranking"], check_report]
STEPS["response"] = [*STEPS["report"], answer]


@pytest.fixture
def people(jury, personas, other_juror):
    extra = {}
    for key, name in (("lee", "Lee"), ("sam", "Sam")):
        extra[key] = make_user(f"{key}@example.org", name)
        Membership.objects.create(jury=jury, user=extra[key], role=Role.JUROR)
    return {**personas, "kim": other_juror, **extra}


def without_live_socket(browsing):
    """Answer the pages' WebSocket in the browser, never on the WSGI live server (see the same
    helper in test_decisions_flow.py for why)."""
    browsing.context.route_web_socket("**/ws/**", lambda socket: None)
    return browsing


def build(stage, jury, people):
    built = draft(jury, people)
    for step in STEPS[stage]:
        step(built)
    jury.refresh_from_db()
    return built


# --- Which pages each persona may open --------------------------------------------------------


def public_pages(stage, base):
    pages = [f"{base}/accountability/", f"{base}/report/verify/", f"{base}/"]
    if stage == "response":
        pages += [f"{base}/report/", f"{base}/report/v1/", f"{base}/report/v2/"]
    return pages


def insider_pages(stage, b):
    base, ids, theme = f"/juries/{b.jury.slug}", b.ids, b.ids["open_theme"]
    pages = [f"{base}/recommendations/"]
    pages += [f"{base}/recommendations/{number}/" for number in range(1, 7)]
    pages += [f"{base}/recommendations/{n}/history/" for n in (1, 3, 4, 5)]
    pages += [f"{base}/vote/", f"{base}/vote/results/", f"{base}/dissent/", f"{base}/report/"]
    pages += [
        f"{base}/evidence/items/{ids['item']}/",
        f"{base}/evidence/questions/{ids['question']}/",
        f"{base}/discussions/about/voting.theme/{theme}/",
        f"{base}/discussions/about/voting.recommendation/{b.recs[1].pk}/",
    ]
    if stage == "response":
        response = b.recs[1].response.pk
        pages.append(f"{base}/discussions/about/voting.response/{response}/")
    return pages


def facilitator_pages(stage, b):
    base, ids, recs = f"/juries/{b.jury.slug}", b.ids, f"/juries/{b.jury.slug}/recommendations"
    voting = stage in ("drafting", "voting", "ranking")
    pages = [f"{base}/vote/open/", f"{base}/vote/close/"] if voting else []
    if stage == "drafting":
        amended = [(1, "voting"), (2, "waiting"), (5, "accepted")]
        pages += [f"{recs}/{n}/amendments/{ids[f'{state}_amendment']}/" for n, state in amended]
        pages += [f"{recs}/themes/new/", f"{recs}/themes/{ids['open_theme']}/edit/"]
        pages += [f"{recs}/1/merge/", f"{recs}/1/merge/?other=2"]
    if stage != "drafting":
        pages.append(f"{base}/dissent/{ids['dissent']}/hide/")
    if stage in ("ranking", "report", "response"):
        pages.append(f"{base}/dissent/{ids['hidden_dissent']}/hide/")
    if stage in ("report", "response"):
        pages += [f"{base}/report/publish/", f"{base}/report/correct/"]
    return pages


def juror_pages(stage, b):
    base, recs = f"/juries/{b.jury.slug}", f"/juries/{b.jury.slug}/recommendations"
    if stage == "drafting":
        forms = ["1/revise/", "1/citations/", "2/citations/", "1/amend/"]
        return [f"{recs}/new/", f"{recs}/new/?theme={b.ids['open_theme']}"] + [
            f"{recs}/{path}" for path in forms
        ]
    pages = [f"{base}/vote/ranking/"] if stage in ("voting", "ranking") else []
    if stage != "response":
        pages += [f"{base}/dissent/new/", f"{base}/dissent/new/?about=2"]
    return pages


def oversight_pages(stage, b):
    if stage != "response":
        return []
    base = f"/juries/{b.jury.slug}/responses"
    return [f"{base}/", f"{base}/3/", f"{base}/1/", f"{base}/1/progress/", f"{base}/2/progress/"]


def pages_for(persona, stage, b):
    base = f"/juries/{b.jury.slug}"
    pages = public_pages(stage, base)
    if persona == "anonymous":
        return pages + (
            ["/register/", f"/register/{b.ids['system']}/"] if stage == "response" else []
        )
    pages.append(f"{base}/home/")
    if persona in ("facilitator", "juror", "observer"):
        pages += insider_pages(stage, b)
    extra = {"facilitator": facilitator_pages, "juror": juror_pages, "oversight": oversight_pages}
    return pages + extra.get(persona, lambda stage, b: [])(stage, b)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("stage", STAGES)
def test_every_decisions_page_a_persona_may_open_passes_axe(browse, jury, people, stage, persona):
    built = build(stage, jury, people)
    browsing = without_live_socket(browse())
    if persona != "anonymous":
        browsing.sign_in_as(Client(), people[persona])
    for path in pages_for(persona, stage, built):
        browsing.goto(path)
    assert len(browsing.checked) == len(pages_for(persona, stage, built))


# --- Forms showing their errors -------------------------------------------------------------


def submit(browsing, button, status=400):
    """Focus the form's button and press Enter; the page must explain the problem."""
    page = browsing.page
    page.get_by_role("button", name=button, exact=True).focus()
    browsing.press("Enter", status=status)
    if status == 400:
        summary = page.get_by_role("heading", name="There is a problem")
        assert summary.first.is_visible(), page.url


def clear(page, label):
    page.get_by_label(label, exact=True).fill("")


def signed_in(browse, user):
    browsing = without_live_socket(browse())
    browsing.sign_in_as(Client(), user)
    return browsing


def test_drafting_forms_showing_errors_pass_axe(browse, jury, people):
    build("drafting", jury, people)
    recs = f"/juries/{jury.slug}/recommendations"
    jo = signed_in(browse, people["juror"])
    jo.goto(f"{recs}/new/")
    submit(jo, "Propose it")
    jo.goto(f"{recs}/1/revise/")
    submit(jo, "Save the new wording")  # nothing changed, and no note
    clear(jo.page, "The recommendation")
    submit(jo, "Save the new wording")
    jo.goto(f"{recs}/1/amend/")
    submit(jo, "Propose the amendment")
    jo.goto(f"{recs}/1/citations/")
    jo.page.get_by_label("Links to posts in the discussions").fill("not a post")
    submit(jo, "Save what it cites")

    fran = signed_in(browse, people["facilitator"])
    fran.goto(f"{recs}/themes/new/")
    submit(fran, "Save the theme")
    fran.goto(f"{recs}/1/merge/?other=2")
    clear(fran.page, "The recommendation")
    submit(fran, "Merge recommendation 2 into this one")
    fran.goto(f"/juries/{jury.slug}/vote/")
    clear(fran.page, "Support needed to adopt (%)")
    submit(fran, "Save the rules")


def test_vote_and_dissent_forms_showing_errors_pass_axe(browse, jury, people):
    build("voting", jury, people)
    lee = signed_in(browse, people["lee"])  # has not voted yet
    lee.goto(f"/juries/{jury.slug}/vote/")
    submit(lee, "Save my ballot")  # nothing chosen
    lee.page.locator("textarea[name$='-reason']").first.fill("I am not sure yet.")
    submit(lee, "Save my ballot")  # a reason without a level
    lee.goto(f"/juries/{jury.slug}/dissent/new/")
    submit(lee, "Save my statement")


def test_ranking_form_showing_errors_passes_axe(browse, jury, people):
    build("ranking", jury, people)
    jo = signed_in(browse, people["juror"])
    jo.goto(f"/juries/{jury.slug}/vote/ranking/")
    submit(jo, "Save my ranking")  # no place given
    for select in jo.page.get_by_role("combobox").all():
        select.select_option("1")
    submit(jo, "Save my ranking")  # every one in first place


def test_report_forms_showing_errors_pass_axe(browse, jury, people):
    built = build("report", jury, people)
    sam = signed_in(browse, people["sam"])  # has not signed off
    sam.goto(f"/juries/{jury.slug}/report/")
    submit(sam, "Save my answer")
    fran = signed_in(browse, people["facilitator"])
    fran.goto(f"/juries/{jury.slug}/dissent/{built.ids['dissent']}/hide/")
    submit(fran, "Hide the statement")
    fran.goto(f"/juries/{jury.slug}/report/correct/")
    submit(fran, "Publish the correction")


def test_answer_and_report_forms_showing_errors_pass_axe(browse, jury, people, tmp_path):
    build("response", jury, people)
    base = f"/juries/{jury.slug}"
    ola = signed_in(browse, people["oversight"])
    ola.goto(f"{base}/responses/3/")
    submit(ola, "Publish the answer")
    ola.goto(f"{base}/responses/1/progress/")
    submit(ola, "Publish the update")
    ola.page.get_by_label("How much is done (%)").fill("150")
    submit(ola, "Publish the update")

    fran = signed_in(browse, people["facilitator"])
    fran.goto(f"{base}/report/correct/")
    submit(fran, "Publish the correction")

    visitor = without_live_socket(browse())
    visitor.goto(f"{base}/report/verify/")
    submit(visitor, "Check the file")
    changed = tmp_path / "report.json"
    changed.write_text('{"changed": true}\n')
    visitor.page.get_by_label("The file you downloaded").set_input_files(changed)
    submit(visitor, "Check the file", status=200)
    heading = visitor.page.get_by_role("heading", name="It matches no published file")
    assert heading.is_visible()


def test_the_public_sees_the_overdue_answer_the_hidden_dissent_and_the_correction(
    browse, jury, people
):
    """The jury built above is what the crawl meant to check: its pages show each state."""
    built = build("response", jury, people)
    base = f"/juries/{jury.slug}"
    visitor = without_live_socket(browse())
    shows = visitor.page.get_by_text
    visitor.goto(f"{base}/accountability/")
    assert visitor.page.get_by_role("heading", name="Recommendation 3 Overdue").is_visible()
    assert shows("1 is overdue.").is_visible()
    assert visitor.page.locator("#recommendation-1").get_by_text("40% done").is_visible()
    assert shows("Earlier versions of this answer (1)").is_visible()
    visitor.goto(f"{base}/report/v1/")
    assert shows("This version was corrected by version 2").is_visible()
    assert shows("It names a person outside the jury.").is_visible()
    assert shows("Ask Mr Smith at number 4.").count() == 0  # hidden: its words are not shown
    assert shows("Of 4 jurors, 2 confirmed the final text, 1 objected to it").is_visible()
    visitor.goto(f"{base}/report/v2/")
    assert shows("Reason given: A juror's name was misspelt.").first.is_visible()
    visitor.goto(f"/register/{built.ids['system']}/")
    assert shows("1 overdue").first.is_visible()
