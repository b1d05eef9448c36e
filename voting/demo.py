"""The demo's second jury: one that has finished. Its recommendations were drafted, voted on and
published in a report; the oversight committee has answered some, and one answer is overdue.

Everything is made through the same services the pages use, at the dates it would have happened
(the clock is set back while each step runs), so the report, its hashes, the audit log and the
accountability page are what a real jury would leave behind.
"""

import contextlib
from datetime import timedelta
from unittest import mock

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from evidence.models import EvidenceItem, EvidencePack, System, Witness
from juries.models import Jury, Membership, OversightBody, Role, Stage, Visibility
from juries.stages import change_stage

from . import decisions, dissent, drafting, reports, responses
from .models import ReportFile, ReportFormat
from .report_files import make_pdf

SLUG = "council-tax-support-checks"

BODY = {
    "name": "Northvale Council Scrutiny Committee",
    "description": (
        "The committee of councillors that scrutinises Northvale District Council's decisions. "
        "It has agreed to answer every recommendation of the citizens' jury in public within "
        "eight weeks of the jury's report."
    ),
    "public_contact": "scrutiny@northvale.example.gov.uk",
}

JURY = {
    "title": "Automatic eligibility checks for Council Tax Support",
    "commissioning_organisation": "Northvale District Council",
    "remit": (
        "Northvale District Council checks every application for Council Tax Support against "
        "data held by the Department for Work and Welfare and by credit reference agencies, and "
        "refuses or reduces support automatically when the data do not match what the applicant "
        "said. What safeguards should apply to these automatic checks, and what should "
        "applicants be told?"
    ),
    "remit_summary": (
        "When you ask the council for help with Council Tax, a computer compares what you said "
        "with other records. If they do not match, your help can be cut without a person "
        "looking. What rules should there be, and what should people be told?"
    ),
    "help_contact": "Call 01632 960 123 or email jury@northvale.example.gov.uk",
    "visibility": Visibility.PUBLIC,
    "response_weeks": 8,
}

SYSTEM = {
    "name": "Council Tax Support automatic eligibility check",
    "purpose": (
        "To check applications for Council Tax Support against other public records, so that "
        "support goes to the people entitled to it without asking everyone for paper evidence."
    ),
    "organisation": "Northvale District Council",
    "task": "Matching applications for Council Tax Support with other records",
    "regions": "Northvale",
}

EVIDENCE = [
    (
        "How the check works",
        "commissioning",
        "Northvale District Council, Revenues and Benefits",
        "The council compares each application with benefit and credit records overnight. When "
        "income or household size do not match, support is reduced or refused automatically.",
    ),
    (
        "What applicants told us",
        "lived_experience",
        "Northvale Advice Centre",
        "Forty people who were refused after the check told us what happened. Most found out "
        "from their Council Tax bill, and did not know they could ask for a person to look again.",
    ),
    (
        "How often the records are wrong",
        "expert",
        "Dr Sam Okoye, University of Northvale",
        "Credit records lag behind real life by two to three months. People whose income has "
        "just fallen are the most likely to be refused wrongly.",
    ),
]

THEMES = [
    ("Being open with applicants", "What people are told about the check and its result."),
    ("Putting things right", "How people challenge a decision the check got wrong."),
    ("Checking the check", "How the council finds out whether the check is fair."),
]

# (theme, statement, rationale, addressed to, evidence items cited, ballots: strongly support,
# support, can live with it, oppose, strongly oppose, abstain)
RECOMMENDATIONS = [
    (
        0,
        "Tell every applicant, in the decision letter, that the automatic check was used and "
        "which records it compared.",
        "People told us they found out from their bill. Nobody can challenge what they do not "
        "know about.",
        "Northvale District Council, Revenues and Benefits",
        [0, 1],
        (8, 3, 1, 0, 0, 0),
    ),
    (
        1,
        "Let anyone whose support is cut or refused by the check ask a person to look again, "
        "within 30 days, and pay their support in full until that person has decided.",
        "Records lag behind real life. The people most likely to be refused wrongly are the "
        "people who can least afford to wait.",
        "Northvale District Council",
        [1, 2],
        (6, 3, 1, 1, 0, 1),
    ),
    (
        2,
        "Publish each year how often the check was wrong, by age, disability and whether "
        "people rent or own their home.",
        "The council cannot say today whether the check treats some groups worse than others.",
        "Northvale District Council and its Scrutiny Committee",
        [2],
        (5, 4, 2, 1, 0, 0),
    ),
    (
        2,
        "Stop using credit reference data in the check altogether.",
        "Credit records were never meant for this, and people cannot see what they say.",
        "Northvale District Council",
        [2],
        (2, 2, 1, 4, 3, 0),
    ),
    (
        2,
        "Test every change to the check's rules with applicants and advice workers before it "
        "goes live.",
        "The advice centre saw problems weeks before the council did.",
        "Northvale District Council, Revenues and Benefits",
        [1],
        (4, 5, 2, 1, 0, 0),
    ),
]
LEVELS = ["strongly_support", "support", "can_live_with_it", "oppose", "strongly_oppose", "abstain"]

# Days before today when each step happened. The report came out nine weeks ago, so an answer
# due within eight weeks is a week overdue.
TIMELINE = {
    Stage.SELECTION: 130,
    Stage.LEARNING: 115,
    Stage.DELIBERATION: 100,
    Stage.DRAFTING: 88,
    Stage.DECISION: 74,
    Stage.REPORT: 70,
}
PUBLISHED_DAYS_AGO = 63


@contextlib.contextmanager
def _clock(moment):
    """Run a step as if it were `moment`: every date the services and models record."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@contextlib.contextmanager
def _quietly():
    """While the history is written, no email goes to the demo's people: the jury finished long
    ago. (Tasks go to a backend that keeps them in memory and drops them.)"""
    tasks = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=tasks):
        yield


def seed_decided_jury(demo_jury):
    """Create the finished jury once, with the members of `demo_jury`. Returns it, or None if it
    was already there."""
    if Jury.objects.filter(slug=SLUG).exists():
        return None
    people = {
        role: [m.user for m in demo_jury.memberships.filter(role=role).select_related("user")]
        for role in Role
    }
    now = timezone.now()
    with _quietly(), transaction.atomic():
        jury = _set_up(people, now - timedelta(days=140))
        facilitator = people[Role.FACILITATOR][0]
        jurors = people[Role.JUROR]
        items = _evidence(jury, now - timedelta(days=115))
        recs = _draft(jury, jurors, items, facilitator, now)
        _decide(jury, facilitator, jurors, recs, now - timedelta(days=TIMELINE[Stage.DECISION]))
        report = _publish(jury, facilitator, jurors, recs, now)
        _answer(people[Role.OVERSIGHT], recs, now)
    _make_pdf(report)
    return jury


def _set_up(people, when):
    with _clock(when):
        body, _created = OversightBody.objects.get_or_create(name=BODY["name"], defaults=BODY)
        jury = Jury.objects.create(slug=SLUG, oversight_body=body, **JURY)
        for role, users in people.items():
            for user in users:
                Membership.objects.create(jury=jury, user=user, role=role)
        system, _created = System.objects.get_or_create(slug=SLUG, defaults=SYSTEM)
        system.juries.add(jury)
    facilitator = people[Role.FACILITATOR][0]
    for stage, days in TIMELINE.items():
        if stage in (Stage.DECISION, Stage.REPORT):
            continue  # moved on when the drafting is done and the vote is over
        with _clock(timezone.now() - timedelta(days=days)):
            change_stage(jury=jury, to_stage=stage, by=facilitator)
    return jury


def _evidence(jury, when):
    with _clock(when):
        pack = EvidencePack.objects.create(
            jury=jury,
            title="The check and the people it affects",
            introduction="What the council does, what applicants saw, and what the records miss.",
            published_at=when,
        )
        Witness.objects.create(
            jury=jury,
            name="Dr Sam Okoye",
            role="Lecturer in data science, University of Northvale",
            standpoint="expert",
        )
        return [
            EvidenceItem.objects.create(
                pack=pack,
                position=number,
                title=title,
                standpoint=standpoint,
                provided_by=who,
                summary=summary,
                body=summary,
                reading_minutes=4,
            )
            for number, (title, standpoint, who, summary) in enumerate(EVIDENCE, 1)
        ]


def _draft(jury, jurors, items, facilitator, now):
    start = now - timedelta(days=TIMELINE[Stage.DRAFTING])
    with _clock(start):
        themes = [
            drafting.create_theme(jury, facilitator, title, description)
            for title, description in THEMES
        ]
    recs = []
    for number, (theme, statement, rationale, to, cited, _ballots) in enumerate(RECOMMENDATIONS):
        with _clock(start + timedelta(days=1 + number)):
            recs.append(
                drafting.propose(
                    jury,
                    jurors[number % len(jurors)],
                    statement,
                    rationale,
                    to,
                    theme=themes[theme],
                    citations=[items[index] for index in cited],
                )
            )
    # One recommendation was improved by another juror, so its history has two versions.
    first = recs[0]
    with _clock(start + timedelta(days=6)):
        drafting.revise(
            first,
            jurors[5],
            first.statement,
            first.rationale + " A letter is what people keep and show to an adviser.",
            first.addressed_to,
            "Added why a letter matters.",
        )
    return recs


def _decide(jury, facilitator, jurors, recs, when):
    with _clock(when):
        change_stage(jury=jury, to_stage=Stage.DECISION, by=facilitator)
        decisions.set_rules(
            jury, facilitator, threshold_percent=80, quorum_percent=75, ranking=False
        )
        vote = decisions.current_vote(jury)
        decisions.open_vote(vote, facilitator)
    for index, juror in enumerate(jurors):
        entries = []
        for rec, spec in zip(recs, RECOMMENDATIONS, strict=True):
            level = _level_for(spec[5], index)
            if level is not None:
                entries.append((rec, level, "", False))
        with _clock(when + timedelta(hours=2 + index)):
            decisions.cast_ballots(vote, juror, entries)
    with _clock(when + timedelta(days=3)):
        decisions.close_vote(decisions.current_vote(jury), facilitator)


def _level_for(counts, index):
    """The level the juror at `index` chose, so that the counts come out as planned."""
    for level, upto in zip(LEVELS, _running_totals(counts), strict=True):
        if index < upto:
            return level
    return None  # this juror did not vote on it


def _running_totals(counts):
    total = 0
    for count in counts:
        total += count
        yield total


def _publish(jury, facilitator, jurors, recs, now):
    with _clock(now - timedelta(days=TIMELINE[Stage.REPORT])):
        change_stage(jury=jury, to_stage=Stage.REPORT, by=facilitator)
        statement = dissent.write_dissent(
            jury,
            jurors[3],
            "We think 30 days is too short for someone who is ill or caring for someone. "
            "It should be three months.",
            recommendation=recs[1],
        )
        dissent.add_signature(statement, jurors[8])
        for index, juror in enumerate(jurors):
            choice = "object" if index == len(jurors) - 1 else "confirm"
            dissent.sign_off(jury, juror, choice)
    with _clock(now - timedelta(days=PUBLISHED_DAYS_AGO)):
        return reports.publish_report(jury, facilitator)


ANSWERS = [
    (
        0,
        16,
        "accepted",
        "We agree. Decision letters will say the check was used and which records it compared.",
        "New letter wording, tested with the advice centre.",
        "Head of Revenues and Benefits",
        (30, "accepted", "The new wording is written and is being tested with applicants.", 60),
    ),
    (
        1,
        20,
        "accepted_in_part",
        "Anyone will be able to ask for a person to look again within 30 days. Paying support "
        "in full meanwhile would cost about £40,000 a year, which we are still considering.",
        "A review by a named officer within ten working days of a request.",
        "Revenues and Benefits Manager",
        None,
    ),
    (
        2,
        25,
        "under_consideration",
        "We need to find out which of these figures we can publish without identifying anyone.",
        "",
        "Data Protection Officer",
        None,
    ),
]


def _answer(overseers, recs, now):
    member = overseers[0]
    published = now - timedelta(days=PUBLISHED_DAYS_AGO)
    for index, days_after, status, reasons, action, owner, progress in ANSWERS:
        with _clock(published + timedelta(days=days_after)):
            answer = responses.record_response(
                recs[index],
                member,
                status,
                reasons,
                planned_action=action,
                owner=owner,
                due_by=(published + timedelta(days=180)).date(),
            )
        if progress:
            later, progress_status, note, percent = progress
            with _clock(published + timedelta(days=days_after + later)):
                responses.add_progress(answer, member, progress_status, note, percent)
    # Recommendation 5 was adopted but has no answer: past the deadline, it shows as overdue.


def _make_pdf(report):
    pdf = ReportFile.objects.filter(report=report, format=ReportFormat.PDF).first()
    if pdf is not None and not pdf.is_ready:
        make_pdf.call(pdf.pk)
