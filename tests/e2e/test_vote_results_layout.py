"""The demo's vote results and report, on a phone and on a laptop: the results short enough to
read on a phone (a summary, one bar per recommendation, the count tables folded away), no table
cut off on a laptop, and the report's recommendation headings larger than the text under them.
The demo's finished jury is seeded as `manage.py seed_demo` makes it."""

from unittest import mock

import pytest
from django.test import Client

from juries.demo_seed import seed
from juries.models import Role
from voting import demo

from .layout import CLIPPED_TABLES, LAPTOP

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Before the charts (issue 14) this page was 5,973 px tall at 390 px; with them, 2,736 px.
MAX_PHONE_HEIGHT = 3000
# Each recommendation heading of the report whose text is not larger than the paragraph under it.
SMALL_HEADINGS = """() => [...document.querySelectorAll("[id^=recommendation-][id$=-title]")]
  .filter(heading => {
    const size = element => parseFloat(getComputedStyle(element).fontSize);
    return size(heading) <= size(heading.nextElementSibling);
  })
  .map(heading => heading.textContent)"""


@pytest.fixture
def decided_jury():
    # Without its PDF, which these pages do not show (making it takes longer than the test).
    with mock.patch.object(demo, "_make_pdf"):
        return demo.seed_decided_jury(seed().jury)


def test_the_demo_results_are_short_on_a_phone_uncut_on_a_laptop_and_the_report_reads_in_order(
    decided_jury, browse
):
    juror = decided_jury.memberships.filter(role=Role.JUROR).first().user
    url = f"/juries/{decided_jury.slug}/vote/results/"
    phone = browse(viewport=PHONE)
    phone.sign_in_as(Client(), juror)
    phone.goto(url)
    height = phone.page.evaluate("() => document.documentElement.scrollHeight")
    assert height <= MAX_PHONE_HEIGHT, f"{height} px tall at 390 px"
    laptop = browse(viewport=LAPTOP)
    laptop.sign_in_as(Client(), juror)
    laptop.goto(url)  # which also checks no table is cut off, its folded ones opened
    assert laptop.page.evaluate(CLIPPED_TABLES) == []
    phone.goto(f"/juries/{decided_jury.slug}/report/v1/")
    assert phone.page.evaluate(SMALL_HEADINGS) == []
