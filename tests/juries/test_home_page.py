"""The home page: what a citizens' jury is and what being a juror involves, and, on the card of a
jury that recruits, an invitation to register rather than a count of no jurors."""

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from juries.models import Recruitment, RecruitmentState, Stage, StagePlan, Visibility


def text_of(page):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture
def recruiting(make_jury):
    jury = make_jury(
        slug="recruiting", visibility=Visibility.PUBLIC, stage=Stage.SELECTION, title="Housing"
    )
    Recruitment.objects.create(jury=jury, state=RecruitmentState.OPEN, panel_size=20)
    return jury


def card_of(page, jury):
    """The HTML of `jury`'s card on the home page."""
    cards = re.findall(r'<article class="card[^"]*".*?</article>', page, re.S)
    (card,) = [card for card in cards if jury.title in card]
    return card


def test_a_recruiting_jury_invites_people_to_register_instead_of_counting_no_jurors(
    client, recruiting
):
    card = card_of(client.get(reverse("juries:jury-list")).content.decode(), recruiting)
    assert "0 jurors" not in card
    assert reverse("juries:volunteer-register", args=[recruiting.slug]) in card
    assert "Register your interest" in card
    assert "20 people will be chosen by lottery" in text_of(card)


def test_a_recruiting_jury_gives_its_own_dates_when_they_are_planned(client, recruiting):
    StagePlan.objects.create(
        jury=recruiting,
        stage=Stage.LEARNING,
        planned_start=date(2027, 2, 1),
        planned_end=date(2027, 2, 28),
    )
    StagePlan.objects.create(
        jury=recruiting,
        stage=Stage.REPORT,
        planned_start=date(2027, 4, 1),
        planned_end=date(2027, 4, 20),
    )
    card = text_of(card_of(client.get(reverse("juries:jury-list")).content.decode(), recruiting))
    assert "from 1 February 2027 to 20 April 2027" in card


def test_a_jury_at_work_shows_its_jurors_and_no_invitation(client, jury, juror, other_juror):
    jury.visibility = Visibility.PUBLIC
    jury.stage = Stage.LEARNING
    jury.save()
    card = card_of(client.get(reverse("juries:jury-list")).content.decode(), jury)
    assert "2 jurors" in card
    assert "Register your interest" not in card


def test_the_home_page_says_what_a_jury_is_and_what_taking_part_involves(client, db):
    page = text_of(client.get(reverse("juries:jury-list")).content.decode())
    for heading in (
        "What is a citizens' jury?",
        "What being a juror involves",
        "Time",
        "Dates",
        "Expenses",
        "Support",
    ):
        assert heading in page


def test_a_recruiting_jurys_own_page_does_not_count_no_jurors_either(client, recruiting):
    page = text_of(client.get(reverse("juries:public", args=[recruiting.slug])).content.decode())
    assert "0 jurors" not in page
    assert "Not chosen yet: volunteers are registering now." in page
