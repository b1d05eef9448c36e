"""Pages do the same number of queries however many members, invitations and sittings a jury has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from juries.models import Visibility

from .query_count_helpers import grow


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("page", "who"),
    [
        ("juries:dashboard", "facilitator"),
        ("juries:home", "juror"),
        ("juries:home", "facilitator"),  # its next step reads the "needs attention" list
        ("juries:sitting-list", "juror"),
        ("juries:audit-log", "facilitator"),
        ("juries:public", None),
        ("juries:jury-list", None),
    ],
)
def test_page_queries_do_not_grow_with_the_jury(client, jury, facilitator, juror, page, who):
    jury.visibility = Visibility.PUBLIC
    jury.save()
    if who:
        client.force_login({"facilitator": facilitator, "juror": juror}[who])
    url = reverse(page) if page == "juries:jury-list" else reverse(page, args=[jury.slug])
    grow(jury, facilitator, 3)
    client.get(url)  # the first request of a session does its own bookkeeping
    small = queries_for(client, url)
    grow(jury, facilitator, 30, start=3)
    large = queries_for(client, url)
    assert large == small
