"""The wrapper around the Nu Html Checker reports an error where there is one (so the check on the
browser tests' pages can fail), and none on a valid page."""

import pytest

from tests import nu_html_checker as nu

VALID = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A valid page</title></head>
<body><main><h1>Hello</h1><p><time datetime="2026-12-07T19:45:06Z">7 December</time></p></main></body>
</html>
"""

# Microseconds in a datetime and an id used twice, on lines 4 and 5.
INVALID = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>An invalid page</title></head>
<body><main><h1 id="top">Hello</h1><p><time datetime="2026-12-07T19:45:06.123456Z">Now</time></p>
<p id="top">Twice</p></main></body>
</html>
"""


def test_the_checker_finds_the_errors_in_a_bad_page_and_none_in_a_good_one(tmp_path):
    reason = nu.unavailable()
    if reason:
        pytest.skip(reason)
    valid, invalid = tmp_path / "valid.html", tmp_path / "invalid.html"
    valid.write_text(VALID, encoding="utf-8")
    invalid.write_text(INVALID, encoding="utf-8")

    errors = nu.check_files([valid, invalid])

    assert {(error.path, error.line) for error in errors} == {(invalid, 4), (invalid, 5)}
    messages = " | ".join(error.message for error in errors)
    assert "fraction of a second" in messages
    assert "Duplicate ID “top”" in messages
