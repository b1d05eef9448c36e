"""Secret ballots, after the report is out: as a facilitator, an observer or an oversight member,
neither the report (web page, JSON, CSV), nor the answers, the Atom feed, their own data download
nor any event of the jury says who voted how. Everything here is made through the real services,
from the first ballot to the published report."""

import pytest
from django.urls import reverse

from juries.models import JuryEvent, Stage, Visibility
from juries.stages import change_stage
from tests.conftest import sign_in_recently
from voting import decisions, reports, responses

from .decisions_helpers import add_jurors, open_the_vote

PRIVATE_REASON = "Thinking of my neighbour Philomena"
PUBLISHED_REASON = "People deserve to see their own score"


@pytest.fixture
def published(jury, facilitator, oversight, at_stage, make_recommendation):
    jury.visibility = Visibility.PUBLIC
    jury.save(update_fields=["visibility"])
    voters = add_jurors(jury, 4, prefix="hush")
    at_stage(Stage.DECISION)
    rec = make_recommendation("Tell people their score.")
    vote = open_the_vote(jury, facilitator, threshold_percent=75)
    levels = ["strongly_oppose", "support", "strongly_support", "can_live_with_it"]
    for index, (juror, level) in enumerate(zip(voters, levels, strict=True)):
        reason, publish = {
            0: (PRIVATE_REASON, False),
            1: (PUBLISHED_REASON, True),
        }.get(index, ("", False))
        decisions.cast_ballot(vote, rec, juror, level, reason, publish)
    decisions.close_vote(vote, facilitator)
    change_stage(jury=jury, to_stage=Stage.REPORT, by=facilitator)
    report = reports.publish_report(jury, facilitator)
    rec.refresh_from_db()
    responses.record_response(rec, oversight, "accepted", "We agree.", based_on=None)
    return report, voters


def pages(jury, report):
    slug = jury.slug
    urls = [
        reverse("voting:report-version", args=[slug, report.version]),
        reverse("voting:accountability", args=[slug]),
        reverse("voting:accountability-feed", args=[slug]),
        reverse("voting:vote-results", args=[slug]),
        reverse("juries:download-data"),
    ]
    urls += [file_url(jury, report, name) for name in ("json", "csv")]
    return urls


def file_url(jury, report, extension):
    return f"/juries/{jury.slug}/report/v{report.version}.{extension}"


@pytest.mark.parametrize("role", ["facilitator", "observer", "oversight"])
def test_the_report_and_answers_name_no_voter_and_no_private_reason(
    client, jury, published, role, personas
):
    report, voters = published
    sign_in_recently(client, personas[role])
    seen = 0
    for url in pages(jury, report):
        response = client.get(url)
        if response.status_code == 403:
            continue  # a page this role may not open reveals nothing either
        assert response.status_code == 200, url
        seen += 1
        body = response.content.decode("utf-8-sig")
        for juror in voters:
            assert juror.display_name not in body, (role, url)
            assert juror.email not in body, (role, url)
        assert PRIVATE_REASON not in body, (role, url)
    assert seen >= 5


def test_the_report_shows_the_counts_and_only_the_reasons_jurors_chose_to_publish(
    client, jury, published
):
    report, _voters = published
    body = client.get(file_url(jury, report, "json")).content.decode()
    assert PUBLISHED_REASON in body
    assert PRIVATE_REASON not in body
    assert '"strongly_oppose": 1' in body


def test_no_event_of_the_jury_carries_a_voter_or_a_private_reason(jury, published):
    _report, voters = published
    names = {text for juror in voters for text in (juror.display_name, juror.email)}
    ids = {juror.pk for juror in voters}
    events = list(JuryEvent.objects.filter(jury=jury))
    assert any(event.kind.startswith("vote.") for event in events)
    for event in events:
        text = str(event.frames) + str(event.data)
        assert PRIVATE_REASON not in text, event.kind
        assert not any(name in text for name in names), event.kind
        assert not ids & set(_people_in(event.data)), event.kind


PERSON_KEYS = {"by", "juror", "user", "member", "author", "voter"}


def _people_in(data):
    """Every id under a key that names a person, wherever it is nested in an event's data."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in PERSON_KEYS and isinstance(value, int):
                yield value
            yield from _people_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from _people_in(value)
