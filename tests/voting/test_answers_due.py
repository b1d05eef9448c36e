"""The oversight member's landing pages list the reports they must answer and what is due:
per jury, the recommendations waiting for an answer, the deadline, and overdue in words."""

import pytest
from django.urls import reverse

from juries.models import Jury, Membership, Role
from tests.voting.responses_factories import close_vote, days_ago, decided_jury, publish
from voting.models import Response, ResponseStatus


def _answer(rec):
    Response.objects.create(
        recommendation=rec, status=ResponseStatus.ACCEPTED, reasons="We will publish them."
    )


def _my_juries(client):
    return client.get(reverse("juries:my-juries") + "?all=1").content.decode()


@pytest.fixture
def second_jury(make_jury, oversight):
    other = make_jury(slug="housing-risk", title="Housing risk scores")
    Membership.objects.create(jury=other, user=oversight, role=Role.OVERSIGHT)
    return other


def test_each_report_shows_what_waits_and_when_it_is_due(
    client, jury, second_jury, make_recommendation, oversight
):
    recs = decided_jury(jury, make_recommendation, adopted=3, not_adopted=1, published_days_ago=3)
    _answer(recs[0])
    weeks_ago = jury.response_weeks * 7 + 4
    late = [
        make_recommendation(f"Housing recommendation {n}", jury=second_jury, number=n)
        for n in (1, 2)
    ]
    close_vote(second_jury, adopted=late)
    publish(second_jury, at=days_ago(weeks_ago))
    client.force_login(oversight)

    page = _my_juries(client)

    assert "Reports you must answer" in page
    first = page[page.index('id="answers-due-fraud-scores"') :]
    assert "2 of 3 recommendations are waiting for your answer." in first
    assert "days left" in first
    second = page[page.index('id="answers-due-housing-risk"') :]
    assert "2 of 2 recommendations are waiting for your answer." in second
    assert "Overdue by 4 days." in second
    assert reverse("voting:responses", args=[second_jury.slug]) in second


def test_the_jury_home_says_how_many_wait_and_the_deadline(
    client, jury, make_recommendation, oversight
):
    decided_jury(jury, make_recommendation, adopted=2, not_adopted=0, published_days_ago=3)
    client.force_login(oversight)
    page = client.get(reverse("juries:home", args=[jury.slug])).content.decode()
    assert "2 of 2 recommendations are waiting for your answer. The deadline is" in page


def test_only_the_oversight_body_is_shown_reports_to_answer(
    client, jury, make_recommendation, oversight, juror, facilitator
):
    decided_jury(jury, make_recommendation, adopted=2, not_adopted=0, published_days_ago=3)
    for person in (juror, facilitator):
        client.force_login(person)
        assert "Reports you must answer" not in _my_juries(client)
    client.force_login(oversight)
    assert "Reports you must answer" in _my_juries(client)


def test_nothing_is_due_before_the_report_is_published(
    client, jury, make_recommendation, oversight
):
    decided_jury(jury, make_recommendation, adopted=2, not_adopted=0, published_days_ago=None)
    client.force_login(oversight)
    assert "Reports you must answer" not in _my_juries(client)
    assert Jury.objects.get(pk=jury.pk).stage == "report"


def test_the_list_costs_the_same_queries_for_one_jury_or_many(
    client, jury, make_jury, make_recommendation, oversight, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    decided_jury(jury, make_recommendation, adopted=2, not_adopted=0, published_days_ago=3)
    client.force_login(oversight)
    _my_juries(client)  # the first request of a session does its own bookkeeping
    with CaptureQueriesContext(connection) as one:
        _my_juries(client)
    for n in range(5):
        other = make_jury(slug=f"jury-{n}", title=f"Jury {n}")
        Membership.objects.create(jury=other, user=oversight, role=Role.OVERSIGHT)
        recs = [make_recommendation(f"Rec {n}.{m}", jury=other, number=m) for m in range(1, 4)]
        close_vote(other, adopted=recs)
        publish(other, at=days_ago(2))
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = _my_juries(client)
    assert page.count('class="answers-due__item"') == 6
