"""Importing volunteers whose consent a council collected on paper: all of a file, or none of it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from juries.models import AuditEntry, Volunteer, VolunteerSource
from juries.selection import volunteer_import
from tests.juries.recruitment_helpers import add_volunteer, link_in

# The jury's questions and open recruitment come from conftest.py; each test starts with no
# registrations counted against the test client's address.
pytestmark = pytest.mark.usefixtures("fresh_rate_limits")

GOOD = (
    "Name,Email,Age,Area,Access needs\n"
    "Grace Hopper,grace@example.net,60 or older,South,Hearing loop\n"
    "Alan Turing,ALAN@example.net,30 to 59,north,\n"
)


def test_importing_a_good_file_puts_everyone_in_the_pool_and_emails_their_withdraw_link(
    open_jury, facilitator, mailoutbox
):
    result = volunteer_import.import_volunteers(open_jury, GOOD, facilitator)

    assert result.problems == []
    assert len(result.imported) == 2
    grace = Volunteer.objects.get(email="grace@example.net")
    assert grace.in_pool and grace.source == VolunteerSource.IMPORT
    assert grace.consented_at is not None and grace.access_needs == "Hearing loop"
    assert sorted(a.value.label for a in grace.answers.select_related("value")) == [
        "60 or older",
        "South",
    ]
    alan = Volunteer.objects.get(email="alan@example.net")
    assert sorted(a.value.label for a in alan.answers.select_related("value")) == [
        "30 to 59",
        "North",
    ], "answers are matched whatever their capitals"
    assert sorted(m.to[0] for m in mailoutbox) == ["alan@example.net", "grace@example.net"]
    for message in mailoutbox:
        assert link_in(message, "withdraw")
    entry = AuditEntry.objects.get(action="recruitment.import")
    assert "2 volunteers" in entry.summary and entry.actor == facilitator


def test_a_file_with_any_bad_line_imports_nobody_and_lists_every_problem(
    open_jury, facilitator, mailoutbox
):
    text = (
        "name,email,age,area\n"
        "Grace Hopper,grace@example.net,60 or older,South\n"
        ",nobody@example.net,60 or older,South\n"
        "Alan Turing,not-an-address,30 to 59,North\n"
        "Ada Lovelace,ada@example.net,ancient,North\n"
    )

    result = volunteer_import.import_volunteers(open_jury, text, facilitator)

    assert result.imported == []
    assert [number for number, _reason in result.problems] == [3, 4, 5]
    reasons = dict(result.problems)
    assert "name is empty" in reasons[3]
    assert "not an email address" in reasons[4]
    assert "“ancient” is not one of the answers for “Age”" in reasons[5]
    assert not Volunteer.objects.exists()
    assert mailoutbox == []
    assert not AuditEntry.objects.filter(action="recruitment.import").exists()


def test_duplicates_in_the_file_and_people_already_registered_are_reported(
    open_jury, categories, facilitator
):
    add_volunteer(open_jury, categories, email="ada@example.net")
    text = (
        "name,email,age,area\n"
        "Grace Hopper,grace@example.net,60 or older,South\n"
        "Ada Lovelace,Ada@Example.net,30 to 59,North\n"
        "Grace again,grace@example.net,16 to 29,North\n"
    )

    result = volunteer_import.import_volunteers(open_jury, text, facilitator)

    assert result.imported == []
    reasons = dict(result.problems)
    assert sorted(reasons) == [3, 4]
    assert "already registered" in reasons[3]
    assert "more than once" in reasons[4]
    assert Volunteer.objects.count() == 1


def test_a_header_without_the_needed_columns_is_reported_on_line_one(
    open_jury, categories, facilitator
):
    text = "email,age,shoe size\ngrace@example.net,60 or older,5\n"

    result = volunteer_import.import_volunteers(open_jury, text, facilitator)

    reasons = [reason for number, reason in result.problems if number == 1]
    assert any("“name”" in reason for reason in reasons)
    assert any("category “Area”" in reason for reason in reasons)
    assert any("Unknown column “shoe size”" in reason for reason in reasons)
    assert not Volunteer.objects.exists()


def test_a_file_longer_than_the_cap_is_refused_whole(open_jury, facilitator):
    lines = [
        f"P{n},p{n}@example.net,16 to 29,North"
        for n in range(volunteer_import.MAX_IMPORT_LINES + 1)
    ]
    text = "name,email,age,area\n" + "\n".join(lines)

    result = volunteer_import.import_volunteers(open_jury, text, facilitator)

    [(number, reason)] = result.problems
    assert number == 1 and "more than 5000" in reason
    assert not Volunteer.objects.exists()


def test_a_file_of_exactly_the_cap_is_read_line_by_line(open_jury, facilitator):
    count = volunteer_import.MAX_IMPORT_LINES - 1
    lines = [f"P{n},p{n}@example.net,16 to 29,North" for n in range(count)]
    text = "name,email,age,area\n" + "\n".join(lines) + "\nLast,last@example.net,old,North\n"

    result = volunteer_import.import_volunteers(open_jury, text, facilitator)

    [(number, reason)] = result.problems
    assert number == volunteer_import.MAX_IMPORT_LINES + 1 and "“old”" in reason


# --- the import page ---------------------------------------------------------------------------


def upload(text, name="volunteers.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def import_url(open_jury):
    return reverse("juries:volunteer-import", args=[open_jury.slug])


def test_the_import_page_needs_the_consent_box_ticked(client, facilitator, import_url):
    client.force_login(facilitator)

    response = client.post(import_url, {"csv_file": upload(GOOD)})

    assert response.status_code == 200
    assert "Tick the box to confirm that everyone agreed" in response.content.decode()
    assert not Volunteer.objects.exists()


def test_the_import_page_lists_each_problem_with_its_line(client, facilitator, import_url):
    client.force_login(facilitator)
    text = GOOD + "Bad Person,bad,60 or older,South\n"

    response = client.post(import_url, {"csv_file": upload(text), "consent_given": "on"})

    page = response.content.decode()
    assert "Nobody was imported: 1 problem" in page
    assert "<td>4</td>" in page and "is not an email address" in page
    assert not Volunteer.objects.exists()


def test_a_good_import_goes_to_the_list_of_volunteers(client, facilitator, import_url, open_jury):
    client.force_login(facilitator)

    response = client.post(import_url, {"csv_file": upload(GOOD), "consent_given": "on"})

    assert response.status_code == 302
    assert response.url == reverse("juries:volunteer-list", args=[open_jury.slug])
    listing = client.get(response.url).content.decode()
    assert "2 volunteers imported" in listing
    assert "grace@example.net" in listing


def test_the_import_page_shows_the_columns_and_answers_to_use(client, facilitator, import_url):
    client.force_login(facilitator)

    page = client.get(import_url).content.decode()

    assert "name,email,Age,Area,access needs" in page
    assert "16 to 29; 30 to 59; 60 or older" in page
