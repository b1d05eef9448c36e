"""The register of systems: its pages pass axe-core for a visitor and for a facilitator importing."""

import pytest

from evidence.demo import seed_register
from tests.e2e.conftest import axe_check

pytestmark = pytest.mark.e2e


def test_the_register_pages_pass_axe_for_a_visitor(browse, jury):
    jury.visibility = "public"
    jury.save()
    system = seed_register(jury)
    browsing = browse()

    browsing.goto("/register/")
    browsing.goto("/register/?q=housing&status=proposed")
    browsing.goto("/register/?q=no+such+system")
    browsing.goto(system.get_absolute_url())
    for summary in browsing.page.locator("main details summary").all():
        summary.focus()
        browsing.page.keyboard.press("Enter")
    axe_check(browsing.page)  # with every section of the record open


def test_importing_a_record_with_problems_shows_them_accessibly(browse, client, facilitator):
    browsing = browse()
    browsing.sign_in_as(client, facilitator)
    page = browsing.page

    browsing.goto("/register/import/")
    page.get_by_label("Or paste the record").fill(
        '{"tier_1": {"name": ""}, "metadata": {"phase": "live"}}'
    )
    page.get_by_role("button", name="Import the record").focus()
    browsing.press("Enter")
    assert page.get_by_text("Nothing was saved").is_visible()
