"""Volunteers in the pool with given answers, for the quota suites (plain functions; no tests
here)."""

from django.utils import timezone

from juries.models import Answer, Volunteer, VolunteerSource


def add_volunteer(jury, number, answers, *, confirmed=True, withdrawn=False):
    """A volunteer with {category: value} answers, in the pool unless told otherwise."""
    now = timezone.now()
    volunteer = Volunteer.objects.create(
        jury=jury,
        name=f"Volunteer Person {number}",
        email=f"volunteer{number}@example.net",
        source=VolunteerSource.FORM,
        confirmed_at=now if confirmed else None,
        withdrawn_at=now if withdrawn else None,
    )
    for category, value in answers.items():
        Answer.objects.create(volunteer=volunteer, category=category, value=value)
    return volunteer


def fill_pool(jury, category, value_counts):
    """Volunteers in the pool answering `category` as {value: how many}."""
    number = Volunteer.objects.count()
    for value, count in value_counts.items():
        for _ in range(count):
            number += 1
            add_volunteer(jury, number, {category: value})
