"""The pattern library: staff see every shared component in every state; nobody else sees it."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from juries import statuses
from juries.models import Jury, Stage

URL = reverse("juries:patterns")


@pytest.fixture
def staff(make_person):
    person = make_person("pat@example.org", "Pat Staff")
    person.is_staff = True
    person.save()
    return person


def tag_classes(page):
    return re.findall(r'class="tag tag--(\w+)"', page)


def test_staff_see_a_tag_of_every_meaning_in_words_plain_and_as_a_link(client, staff):
    client.force_login(staff)

    page = client.get(URL).content.decode()

    for meaning in statuses.MEANINGS:
        assert re.search(rf'<strong class="tag tag--{meaning}">\w', page), meaning
        assert re.search(rf'<a class="tag tag--{meaning}" href="#tags">\w', page), meaning
    assert set(tag_classes(page)) == set(statuses.MEANINGS)


def test_the_library_shows_each_component_from_its_partial(client, staff):
    client.force_login(staff)

    page = client.get(URL).content.decode()

    assert page.count('class="notification notification--') == 3
    assert '<li class="stepper__step stepper__step--current" aria-current="step">' in page
    assert "stepper__step--done" in page and "stepper__step--upcoming" in page
    assert 'class="error-summary"' in page and 'aria-invalid="true"' in page
    assert 'class="empty-state"' in page and 'class="task-list"' in page
    assert "<details" in page and 'class="inset' in page and 'class="next-step"' in page
    assert page.count('class="scroll-hint"') == 3
    assert 'class="jury-nav"' in page
    assert 'class="container container--wide"' in page


def test_a_model_state_is_shown_by_its_registered_meaning(client, staff):
    jury = Jury(stage=Stage.SETUP)

    assert statuses.meaning_of(jury, "stage") == statuses.INACTIVE
    jury.stage = Stage.LEARNING
    assert statuses.meaning_of(jury, "stage") == statuses.ACTIVE
    assert statuses.words_of(jury, "stage") == "Learning"


def test_people_who_are_not_staff_are_refused_the_library(client, facilitator, outsider):
    anonymous = client.get(URL)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("account_login"))

    for person in (facilitator, outsider):
        client.force_login(person)
        assert client.get(URL).status_code == 403


def test_a_model_cannot_leave_one_of_its_states_without_a_meaning():
    with pytest.raises(ImproperlyConfigured, match="stage"):
        statuses.register(Jury, "stage", {Stage.SETUP: statuses.INACTIVE})

    assert statuses.meaning_of(Jury(stage=Stage.REPORT), "stage") == statuses.ACTIVE


def test_the_library_draws_each_kind_of_chart_with_its_table_and_avatars(client, staff):
    client.force_login(staff)

    page = client.get(URL).content.decode()

    for chart_id in ("pattern-votes", "pattern-shares", "pattern-progress"):
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in page, chart_id
        assert f'<title id="{chart_id}-title">' in page, chart_id
    assert page.count("<table") >= 3
    assert '<span class="avatar avatar--' in page and "avatar--large" in page
    assert ">GO</span>" in page
