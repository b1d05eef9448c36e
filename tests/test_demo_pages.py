"""Acceptance: no page of the demo answers 500, to any signed-in persona or to an anonymous visitor.

Seeds the demo, then follows every same-site link (GET only) from the start pages, as each
persona and anonymously.
"""

import re
from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command
from django.test import Client

from juries.models import User

HREF = re.compile(r'href="([^"]+)"')
NOT_FOLLOWED = ("/accounts/logout", "/static/", "/admin/", "/favicon")
START = [
    "/",
    "/mine/?all=1",
    "/account/",
    "/accounts/login/",
    "/accounts/2fa/",
    "/accounts/sessions/",
]
MAX_PAGES = 400


def crawl(client):
    seen, errors = set(), []
    queue = deque(START)
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 500:
            errors.append((url, response.status_code))
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parsed = urlparse(href)
            if parsed.scheme or parsed.netloc or not href.startswith("/"):
                continue
            if href.startswith(NOT_FOLLOWED) or href in seen:
                continue
            queue.append(href)
    return seen, errors


@pytest.fixture
def demo(db, capsys):
    call_command("seed_demo")
    capsys.readouterr()


def test_no_demo_page_fails_for_an_anonymous_visitor(demo):
    pages, errors = crawl(Client())
    assert errors == []
    assert len(pages) > 5


def test_no_demo_page_fails_for_any_signed_in_persona(demo):
    people = list(User.objects.filter(memberships__isnull=False).distinct())
    assert len(people) >= 18
    checked = 0
    for person in people:
        client = Client()
        client.force_login(person)
        pages, errors = crawl(client)
        assert errors == [], f"{person.email}: {errors}"
        checked += len(pages)
    assert checked > len(people) * 5


def test_the_demo_jury_balance_view_shows_its_packs_split_by_standpoint(demo, client):
    from juries.models import Jury, Role

    jury = Jury.objects.get(slug="fraud-risk-scoring")
    client.force_login(jury.memberships.filter(role=Role.FACILITATOR).first().user)
    page = client.get(f"/juries/{jury.slug}/evidence/balance/").content.decode()
    assert "How the score works" in page and "Who it affects" in page
    for standpoint in (
        "Commissioning body",
        "Operator or supplier",
        "Independent expert",
        "Civil society",
        "People with lived experience",
        "Legal",
    ):
        assert f'<th scope="row">{standpoint}</th><td>1</td>' in page
