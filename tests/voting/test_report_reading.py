"""The published report reads as a report: a summary first, the vote as a picture, headings
above their text, the files and their fingerprints in an appendix at the end, and links that
work wherever it is read (not on the server that happened to build it)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from juries.charts import WIDTH
from tests.chart_helpers import svg_of, table_rows, widths
from voting import dissent, reports
from voting.report_files import print_html, render_pdf

from .report_setup import ready_for_report

BUILDER = "http://builder.internal:8000"
PUBLIC = "https://juries.example.org"


@pytest.fixture
def report(jury, facilitator, juror, other_juror, oversight, make_recommendation):
    ready = ready_for_report(jury, facilitator, make_recommendation)
    statement = dissent.write_dissent(jury, juror, "Too slow.", ready["first"])
    dissent.add_signature(statement, other_juror)
    with override_settings(SITE_URL=BUILDER):
        return reports.publish_report(jury, facilitator)


def version_page(client, user, jury):
    client.force_login(user)
    return client.get(reverse("voting:report-version", args=[jury.slug, 1])).text


@override_settings(SITE_URL=PUBLIC)
def test_links_in_the_report_point_to_this_site_not_the_server_that_built_it(
    client, jury, juror, report
):
    page = version_page(client, juror, jury)
    printed = print_html(report)
    assert BUILDER not in page
    assert BUILDER not in printed
    assert 'href="/register/fraud-risk/"' in page
    assert f"{PUBLIC}/juries/{jury.slug}/report/v1/" in printed


def test_the_report_opens_with_its_summary_and_ends_with_how_to_check_it(
    client, jury, juror, report
):
    page = version_page(client, juror, jury)
    summary = page.index("1 of 2 recommendations adopted, 1 with dissent.")
    first_recommendation = page.index('id="recommendation-1-title"')
    checking = page.index('id="checking"')
    fingerprint = page.index("<code>")  # the first file's SHA-256
    assert summary < first_recommendation < checking < fingerprint
    printed = print_html(report)
    assert printed.index("1 of 2 recommendations adopted, 1 with dissent.") < printed.index(
        'id="recommendation-1-title"'
    )
    assert printed.index('id="recommendation-1-title"') < printed.index(report.sha256)


def test_the_pdf_draws_the_vote_as_stacked_bars_against_the_threshold(jury, report):
    printed = print_html(report)
    svg = svg_of(printed, "report-results")
    # Recommendation 1: 1 strongly support and 1 support; 2: 1 oppose (the abstention not drawn).
    assert widths(svg) == pytest.approx([WIDTH / 2, WIDTH / 2, WIDTH], abs=0.01)
    threshold = next(line for line in svg.iter("line") if line.get("class") == "chart-threshold")
    assert float(threshold.get("x1")) == pytest.approx(
        WIDTH * report.content["vote"]["rules"]["threshold_percent"] / 100
    )
    assert "<details" not in printed  # a printed table cannot be folded away
    assert ["Recommendation 2: Not adopted", "0", "0", "0", "1", "0", "1", "2"] in table_rows(
        printed
    )
    assert render_pdf(report).startswith(b"%PDF")
