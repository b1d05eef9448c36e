"""An answer given after the deadline says so wherever it shows, and "answered" means one thing:
the accountability page and the register count the same recommendations as answered."""

import re

import pytest
from django.urls import reverse

from evidence.models import System
from juries.models import Visibility
from tests.voting.responses_factories import decided_jury
from voting.models import ResponseStatus
from voting.responses import record_response


@pytest.fixture
def public(jury):
    jury.visibility = Visibility.PUBLIC
    jury.save()
    return jury


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_an_answer_given_after_the_deadline_is_marked_late(
    client, public, make_recommendation, oversight, juror
):
    # Published 61 days ago with eight weeks to answer: the deadline passed 5 days ago.
    late, on_time = decided_jury(public, make_recommendation, adopted=2, published_days_ago=61)
    record_response(late, oversight, ResponseStatus.ACCEPTED, "We agree.")

    page = text_of(
        client.get(reverse("voting:accountability", args=[public.slug])).content.decode()
    )
    assert "Answered late, 5 days after the deadline" in page
    assert page.count("Answered late") == 1

    feed = client.get(reverse("voting:accountability-feed", args=[public.slug])).content.decode()
    assert "answered late, 5 days after the deadline" in feed

    client.force_login(juror)
    detail = client.get(reverse("voting:recommendation", args=[public.slug, late.number]))
    assert "Answered late, 5 days after the deadline" in text_of(detail.content.decode())

    client.force_login(oversight)
    own_list = client.get(reverse("voting:responses", args=[public.slug]))
    assert "Answered late, 5 days after the deadline" in text_of(own_list.content.decode())


def test_an_answer_given_in_time_carries_no_late_mark(
    client, public, make_recommendation, oversight
):
    (rec,) = decided_jury(public, make_recommendation, adopted=1, published_days_ago=10)
    record_response(rec, oversight, ResponseStatus.ACCEPTED, "We agree.")
    page = client.get(reverse("voting:accountability", args=[public.slug])).content.decode()
    assert "Answered late" not in page


def test_the_register_and_the_accountability_page_count_the_same_answers(
    client, public, make_recommendation, oversight
):
    system = System.objects.create(
        slug="fraud-risk", name="Fraud-risk score", purpose="Pick claims", organisation="C"
    )
    system.juries.add(public)
    recs = decided_jury(public, make_recommendation, adopted=4, published_days_ago=10)
    record_response(recs[0], oversight, ResponseStatus.ACCEPTED, "We agree.")
    record_response(recs[1], oversight, ResponseStatus.UNDER_CONSIDERATION, "We are looking.")

    accountability = text_of(
        client.get(reverse("voting:accountability", args=[public.slug])).content.decode()
    )
    register = text_of(client.get(reverse("evidence:register")).content.decode())
    answered = int(re.search(r"(\d+) of 4 adopted recommendations answered", accountability)[1])
    waiting = int(re.search(r"(\d+) recommendations? awaiting an answer", register)[1])
    assert answered + waiting == 4
    assert answered == 2
