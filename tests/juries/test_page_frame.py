"""What every page carries around its content: the demo banner inside a landmark, and the
Content-Security-Policy header, a page not found in debug included."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

LANDMARK_TAGS = {"header", "main", "footer", "nav", "aside"}
LANDMARK_ROLES = {"banner", "main", "contentinfo", "navigation", "complementary", "region"}


class _BannerFinder(HTMLParser):
    """Finds the element with class `demo-banner` and records whether it, or an element around
    it, is a landmark (as axe's "region" rule asks of all content)."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack = []  # one bool per open element: is it a landmark?
        self.found = False
        self.in_landmark = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        role = attrs.get("role")
        landmark = tag in LANDMARK_TAGS or (
            role in LANDMARK_ROLES and (role != "region" or attrs.get("aria-label"))
        )
        if "demo-banner" in (attrs.get("class") or "").split() and not self.found:
            self.found = True
            self.in_landmark = landmark or any(self.stack)
        if tag not in self.VOID:
            self.stack.append(landmark)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()


def test_the_demo_banner_sits_inside_a_landmark(client, db, settings):
    settings.DEMO_MODE = True
    page = client.get(reverse("juries:jury-list")).content.decode()
    finder = _BannerFinder()
    finder.feed(page)
    assert finder.found
    assert finder.in_landmark


@pytest.mark.parametrize("debug", [False, True])
def test_a_page_not_found_carries_the_content_security_policy(client, db, settings, debug):
    settings.DEBUG = debug
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "default-src 'self'" in response.headers.get("Content-Security-Policy", "")
