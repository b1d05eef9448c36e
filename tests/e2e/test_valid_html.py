"""The Nu Html Checker finds no error in the pages the browser tests opened, as the server sent them.

Every page a `Browsing` checks with axe-core is also saved (see conftest.py); this test runs last,
after all the others, and checks every saved page in one run of the checker.
"""

import pytest

from tests import nu_html_checker as nu
from tests.assertion_check import asserted

from .conftest import NU_RESULT, SAVED_PAGES, nu_report


def test_every_page_the_browser_tests_opened_is_valid_html():
    if not SAVED_PAGES:
        pytest.skip("No browser test opened a page before this one, so there is no HTML to check")
    reason = nu.unavailable()
    if reason:
        NU_RESULT["skipped"] = reason
        pytest.skip(reason)
    errors = nu.check_files(page.path for page in SAVED_PAGES.values())
    NU_RESULT["errors"] = errors
    if errors:
        pytest.fail("\n".join(nu_report(errors)), pytrace=False)
    asserted()
