"""A jury open for volunteers and its questions, for the recruitment suites."""

import pytest
from django.core.cache import cache

from juries.models import Category, CategoryValue, Recruitment, RecruitmentState, Visibility

from .recruitment_helpers import ELIGIBILITY


@pytest.fixture
def fresh_rate_limits():
    """Each test starts with no registrations counted against the test client's address."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def categories(jury):
    age = Category.objects.create(jury=jury, name="Age", question="How old are you?", position=1)
    area = Category.objects.create(
        jury=jury, name="Area", question="Where in the borough do you live?", position=2
    )
    for position, label in enumerate(["16 to 29", "30 to 59", "60 or older"]):
        CategoryValue.objects.create(category=age, label=label, position=position)
    for position, label in enumerate(["North", "South"]):
        CategoryValue.objects.create(category=area, label=label, position=position)
    return {"age": age, "area": area}


@pytest.fixture
def open_jury(jury, categories):
    jury.visibility = Visibility.PUBLIC
    jury.save()
    Recruitment.objects.create(jury=jury, state=RecruitmentState.OPEN, eligibility=ELIGIBILITY)
    return jury
