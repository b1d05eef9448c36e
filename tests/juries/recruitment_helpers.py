"""A jury's recruitment questions and a registered volunteer, for the recruitment suites (plain
functions; the fixtures are in conftest.py; no tests here)."""

import re

from juries.models import Recruitment
from juries.selection import recruitment

ELIGIBILITY = "I live in the borough\nI am 16 or older"


def value(category, label):
    return category.values.get(label=label)


def link_in(message, kind):
    """The path of the confirm or withdraw link in an email."""
    match = re.search(rf"https?://\S+(/volunteer/[^/\s]+/{kind}/)", message.body)
    assert match, message.body
    return match.group(1)


def add_volunteer(jury, categories, email="ada@example.net", confirmed=True):
    """Register through the service, as the form does, and confirm if asked."""
    volunteer = recruitment.register(
        jury,
        name="Ada Lovelace",
        email=email,
        answers={
            categories["age"].pk: value(categories["age"], "30 to 59").pk,
            categories["area"].pk: value(categories["area"], "North").pk,
        },
        access_needs="Large print",
        confirmed_statements=Recruitment.objects.get(jury=jury).statements(),
    )
    if confirmed:
        recruitment.confirm(volunteer)
    volunteer.refresh_from_db()
    return volunteer
