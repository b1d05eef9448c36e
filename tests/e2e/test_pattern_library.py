"""The pattern library in a real browser: every status tag's words stay readable (at least
4.5:1 against their background) as they are, under the pointer and when focused; the page fits a
320 px screen and says a table scrolls only when it does."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.conftest import make_user

from .layout import NARROW, TOO_WIDE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# WCAG 2.2 contrast ratio of an element's text colour to the first background behind it that is
# not transparent (white at the top of the page).
CONTRAST = """el => {
  const channels = value => value.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const linear = c => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  let background = [255, 255, 255];
  for (let up = el; up; up = up.parentElement) {
    const rgba = channels(getComputedStyle(up).backgroundColor);
    if (rgba.length < 4 || rgba[3] > 0) { background = rgba; break; }
  }
  const [light, dark] = [luminance(channels(getComputedStyle(el).color)), luminance(background)]
    .sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}"""
FOCUSABLE = "el => el.closest('a[href], button, [tabindex]') !== null"


def test_every_status_tag_is_readable_as_it_is_under_the_pointer_and_focused(browse):
    staff = make_user("pat@example.org", "Pat Staff")
    staff.is_staff = True
    staff.save()
    browsing = browse()
    browsing.sign_in_as(Client(), staff)
    page = browsing.page
    browsing.goto("/patterns/")

    tags = page.locator(".tag")
    meanings = {tags.nth(i).get_attribute("class") for i in range(tags.count())}
    assert {
        f"tag tag--{m}" for m in ("done", "pending", "problem", "active", "inactive")
    } <= meanings
    focusable = 0
    for i in range(tags.count()):
        tag = tags.nth(i)
        words = tag.inner_text().strip()
        assert words, "a tag without words"
        page.mouse.move(0, 0)
        assert tag.evaluate(CONTRAST) >= 4.5, f"{words}: as it is"
        tag.hover()
        assert tag.evaluate(CONTRAST) >= 4.5, f"{words}: under the pointer"
        if tag.evaluate(FOCUSABLE):
            focusable += 1
            tag.evaluate("el => el.closest('a[href], button, [tabindex]').focus()")
            assert tag.evaluate(CONTRAST) >= 4.5, f"{words}: focused"
    assert focusable >= 10  # the tags that are links, and those inside links

    page.set_viewport_size(NARROW)
    assert page.evaluate(TOO_WIDE, NARROW["width"]) == []
    wide = page.get_by_role("region", name="A wide example table")
    narrow = page.get_by_role("region", name="A narrow example table")
    expect(wide.locator(".scroll-hint")).to_be_visible()
    expect(narrow.locator(".scroll-hint")).to_be_hidden()
