"""The register of systems shows, per system, its juries' recommendations awaiting an answer and
those overdue, in one query for the whole page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.models import System
from juries.models import Visibility
from tests.voting.responses_factories import decided_jury
from voting.models import ResponseStatus
from voting.responses import record_response


@pytest.fixture
def system(jury):
    jury.visibility = Visibility.PUBLIC
    jury.save()
    system = System.objects.create(
        slug="fraud-risk", name="Fraud-risk score", purpose="Pick claims to check", organisation="C"
    )
    system.juries.add(jury)
    return system


def answer(rec, by, status=ResponseStatus.ACCEPTED):
    return record_response(rec, by, status, "Our reasons.")


def test_the_register_counts_open_and_overdue_recommendations(
    client, system, jury, make_recommendation, oversight
):
    recs = decided_jury(jury, make_recommendation, adopted=4, not_adopted=1, published_days_ago=60)
    answer(recs[0], oversight)  # answered: not open
    answer(recs[1], oversight, ResponseStatus.UNDER_CONSIDERATION)  # answered, still undecided
    page = client.get(reverse("evidence:register")).content.decode()
    assert (
        "2 recommendations awaiting an answer, <strong>2 overdue</strong>; "
        "1 answered “under consideration”"
    ) in page


def test_before_the_deadline_nothing_is_overdue(
    client, system, jury, make_recommendation, oversight
):
    decided_jury(jury, make_recommendation, adopted=1, published_days_ago=3)
    page = client.get(reverse("evidence:register")).content.decode()
    assert "1 recommendation awaiting an answer" in page
    assert "overdue" not in page


def test_nothing_is_counted_before_the_report_is_published(
    client, system, jury, make_recommendation
):
    decided_jury(jury, make_recommendation, adopted=2, published_days_ago=None)
    page = client.get(reverse("evidence:register")).content.decode()
    assert "awaiting an answer" not in page


def test_a_hidden_jury_is_not_counted(client, system, jury, make_recommendation):
    decided_jury(jury, make_recommendation, adopted=2, published_days_ago=60)
    jury.visibility = Visibility.HIDDEN
    jury.save()
    page = client.get(reverse("evidence:register")).content.decode()
    assert "awaiting an answer" not in page


def test_when_everything_is_answered_the_register_says_so(
    client, system, jury, make_recommendation, oversight
):
    recs = decided_jury(jury, make_recommendation, adopted=2, published_days_ago=60)
    for rec in recs:
        answer(rec, oversight, ResponseStatus.NOT_ACCEPTED)
    page = client.get(reverse("evidence:register")).content.decode()
    assert "Every recommendation has an answer" in page


def test_the_system_page_shows_each_jury_counts_and_links_to_its_answers(
    client, system, jury, make_recommendation
):
    decided_jury(jury, make_recommendation, adopted=2, published_days_ago=60)
    page = client.get(reverse("evidence:system", args=[system.slug])).content.decode()
    assert "2 recommendations awaiting an answer, <strong>2 overdue</strong>" in page
    assert reverse("voting:accountability", args=[jury.slug]) in page


def test_the_register_does_not_do_more_queries_for_more_systems_with_answers(
    client, make_jury, make_recommendation, oversight
):
    def add_systems(start, count):
        for n in range(start, start + count):
            jury = make_jury(slug=f"jury-{n}", visibility=Visibility.PUBLIC)
            recs = decided_jury(
                jury,
                lambda statement, jury=jury: make_recommendation(statement, jury=jury, number=1),
                adopted=1,
                not_adopted=0,
                published_days_ago=60,
            )
            system = System.objects.create(
                slug=f"system-{n}", name=f"System {n}", purpose="P", organisation="C"
            )
            system.juries.add(jury)
            if n % 2:
                answer(recs[0], oversight)

    url = reverse("evidence:register")
    add_systems(0, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_systems(2, 10)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count("1 overdue") == 6
    assert len(many) == len(few)
