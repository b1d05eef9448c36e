"""The facilitators' recruitment pages: settings, volunteers, export, import; and who is refused."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from juries.models import AuditEntry, Recruitment, RecruitmentState, Stage, Volunteer
from juries.selection import recruitment
from tests.juries.recruitment_helpers import add_volunteer

# The jury's questions and open recruitment come from conftest.py; each test starts with no
# registrations counted against the test client's address.
pytestmark = pytest.mark.usefixtures("fresh_rate_limits")

# Facilitator pages: url name -> methods it answers.
FACILITATOR_PAGES = {
    "recruitment": ("GET", "POST"),
    "volunteer-list": ("GET",),
    "volunteer-export": ("GET",),
    "volunteer-import": ("GET", "POST"),
}
REFUSED_MEMBERS = ("juror", "witness", "observer", "oversight")
SECRET_EMAIL = "ada@example.net"


def url(name, jury):
    return reverse(f"juries:{name}", args=[jury.slug])


def send(client, method, address, jury):
    if method == "GET":
        return client.get(address)
    data = {"do": "close", "consent_given": "on"}
    if "import" in address:
        text = "name,email,age,area\nEve Intruder,eve@example.net,16 to 29,North\n"
        data["csv_file"] = SimpleUploadedFile("v.csv", text.encode(), content_type="text/csv")
    return client.post(address, data)


@pytest.fixture
def pool(open_jury, categories, personas):
    """A jury with open recruitment, one confirmed volunteer and every persona."""
    return add_volunteer(open_jury, categories, email=SECRET_EMAIL)


def nothing_changed(jury, entries_before):
    recruitment_row = Recruitment.objects.get(jury=jury)
    return (
        recruitment_row.state == RecruitmentState.OPEN
        and Volunteer.objects.count() == 1
        and AuditEntry.objects.count() == entries_before
    )


@pytest.mark.parametrize("name", FACILITATOR_PAGES)
@pytest.mark.parametrize("role", REFUSED_MEMBERS)
def test_members_other_than_facilitators_are_refused(
    client, open_jury, pool, personas, mailoutbox, name, role
):
    client.force_login(personas[role])
    entries_before = AuditEntry.objects.count()
    mailoutbox.clear()

    for method in FACILITATOR_PAGES[name]:
        response = send(client, method, url(name, open_jury), open_jury)
        assert response.status_code == 403, method
        assert SECRET_EMAIL not in response.content.decode()
    assert nothing_changed(open_jury, entries_before)
    assert mailoutbox == []


@pytest.mark.parametrize("name", FACILITATOR_PAGES)
def test_people_outside_the_jury_are_told_it_does_not_exist(
    client, open_jury, pool, personas, name
):
    client.force_login(personas["outsider"])
    entries_before = AuditEntry.objects.count()

    for method in FACILITATOR_PAGES[name]:
        response = send(client, method, url(name, open_jury), open_jury)
        assert response.status_code == 404, method
        assert SECRET_EMAIL not in response.content.decode()
    assert nothing_changed(open_jury, entries_before)


@pytest.mark.parametrize("name", FACILITATOR_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, open_jury, pool, name):
    entries_before = AuditEntry.objects.count()

    for method in FACILITATOR_PAGES[name]:
        response = send(client, method, url(name, open_jury), open_jury)
        assert response.status_code == 302, method
        assert response.url.startswith(reverse("account_login"))
    assert nothing_changed(open_jury, entries_before)


@pytest.mark.parametrize("role", ["observer", "juror"])
def test_observers_and_jurors_cannot_reach_volunteers_contact_details(
    client, open_jury, pool, personas, role
):
    client.force_login(personas[role])

    for name in ("volunteer-list", "volunteer-export", "volunteer-import", "recruitment"):
        response = client.get(url(name, open_jury))
        assert SECRET_EMAIL not in response.content.decode(), name
        assert "Ada Lovelace" not in response.content.decode(), name


# --- what facilitators see and do ------------------------------------------------------------


def test_facilitator_sees_volunteers_with_contact_details_status_and_answers(
    client, open_jury, categories, facilitator
):
    add_volunteer(open_jury, categories, email="ada@example.net")
    waiting = add_volunteer(open_jury, categories, email="bo@example.net", confirmed=False)
    gone = add_volunteer(open_jury, categories, email="cy@example.net")
    recruitment.withdraw(gone)
    client.force_login(facilitator)

    page = client.get(url("volunteer-list", open_jury)).content.decode()

    assert "ada@example.net" in page and "bo@example.net" in page
    assert "cy@example.net" not in page
    assert "In the pool" in page and "Not confirmed yet" in page and "Withdrawn" in page
    assert "30 to 59" in page and "North" in page and "Large print" in page
    assert waiting.pseudonym in page and gone.pseudonym in page
    assert "1 in the pool, 1 not confirmed yet, 1 withdrawn" in page


def test_the_list_is_split_into_pages_of_a_hundred(client, open_jury, categories, facilitator):
    for n in range(101):
        add_volunteer(open_jury, categories, email=f"p{n:03}@example.net")
    client.force_login(facilitator)

    first = client.get(url("volunteer-list", open_jury)).content.decode()
    second = client.get(url("volunteer-list", open_jury) + "?page=2").content.decode()

    assert "p099@example.net" in first and "p100@example.net" not in first
    assert "p100@example.net" in second and "Page 2 of 2" in second


def test_the_list_does_the_same_number_of_queries_however_many_volunteers(
    client, open_jury, categories, facilitator
):
    client.force_login(facilitator)
    address = url("volunteer-list", open_jury)
    for n in range(3):
        add_volunteer(open_jury, categories, email=f"small{n}@example.net")
    client.get(address)  # the session's first request does its own bookkeeping

    with CaptureQueriesContext(connection) as small:
        assert client.get(address).status_code == 200
    for n in range(40):
        add_volunteer(open_jury, categories, email=f"large{n}@example.net", confirmed=n % 2 == 0)
    with CaptureQueriesContext(connection) as large:
        assert client.get(address).status_code == 200

    assert len(large) == len(small)


def test_the_export_is_a_csv_of_everyone_and_is_recorded(
    client, open_jury, categories, facilitator
):
    add_volunteer(open_jury, categories, email="ada@example.net")
    client.force_login(facilitator)

    response = client.get(url("volunteer-export", open_jury))

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["name", "email", "Age", "Area", "access needs"]
    assert rows[1][:5] == ["Ada Lovelace", "ada@example.net", "30 to 59", "North", "Large print"]
    assert rows[1][5] == "In the pool"
    assert AuditEntry.objects.filter(action="recruitment.export", actor=facilitator).exists()


def test_the_export_stops_spreadsheets_running_typed_text_as_formulas(
    client, open_jury, categories, facilitator
):
    volunteer = add_volunteer(open_jury, categories)
    Volunteer.objects.filter(pk=volunteer.pk).update(name='=HYPERLINK("http://evil")')
    client.force_login(facilitator)

    response = client.get(url("volunteer-export", open_jury))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'


def test_facilitator_opens_and_closes_registration(client, jury, facilitator):
    client.force_login(facilitator)
    address = url("recruitment", jury)

    client.post(address, {"do": "open"})
    assert Recruitment.objects.get(jury=jury).state == RecruitmentState.OPEN
    assert "The form to share" in client.get(address).content.decode()

    client.post(address, {"do": "close"})
    assert Recruitment.objects.get(jury=jury).state == RecruitmentState.CLOSED
    actions = list(AuditEntry.objects.filter(jury=jury).values_list("action", flat=True))
    assert "recruitment.open" in actions and "recruitment.close" in actions


def test_facilitator_changes_the_settings(client, jury, facilitator):
    client.force_login(facilitator)

    response = client.post(
        url("recruitment", jury),
        {
            "do": "save",
            "panel_size": "30",
            "eligibility": "I live here\n\n",
            "retention_days": "60",
        },
    )

    assert response.status_code == 302
    saved = Recruitment.objects.get(jury=jury)
    assert (saved.panel_size, saved.statements(), saved.retention_days) == (30, ["I live here"], 60)


def test_a_panel_of_nobody_is_refused_with_the_reason(client, jury, facilitator):
    client.force_login(facilitator)

    response = client.post(
        url("recruitment", jury),
        {"do": "save", "panel_size": "0", "eligibility": "", "retention_days": "60"},
    )

    assert response.status_code == 200
    assert "The panel needs at least one juror." in response.content.decode()
    assert not Recruitment.objects.filter(jury=jury, panel_size=0).exists()


def test_once_jurors_are_learning_the_settings_are_shown_but_fixed(client, open_jury, facilitator):
    open_jury.stage = Stage.LEARNING
    open_jury.save()
    client.force_login(facilitator)

    page = client.get(url("recruitment", open_jury))
    refused = client.post(url("recruitment", open_jury), {"do": "close"})

    assert page.status_code == 200
    assert "these settings are fixed" in page.content.decode()
    assert refused.status_code == 403
    assert Recruitment.objects.get(jury=open_jury).state == RecruitmentState.OPEN
    assert client.get(url("volunteer-list", open_jury)).status_code == 200
    assert client.get(url("volunteer-import", open_jury)).status_code == 403
