"""Pages do the same number of queries however many members, invitations and sittings a jury has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from juries.models import AgendaItem, Invitation, Membership, Role, Sitting, Visibility
from tests.conftest import make_user


def grow(jury, facilitator, size, start=0):
    for n in range(start, start + size):
        user = make_user(f"person{n}@example.org", f"Person {n}")
        Membership.objects.create(
            jury=jury, user=user, role=Role.JUROR, show_name_publicly=n % 2 == 0
        )
        Invitation.objects.create(
            jury=jury, email=f"invitee{n}@example.org", invited_by=facilitator
        )
        sitting = Sitting.objects.create(
            jury=jury,
            title=f"Sitting {n}",
            starts_at=timezone.now() + timezone.timedelta(days=n + 1),
            ends_at=timezone.now() + timezone.timedelta(days=n + 1, hours=2),
        )
        AgendaItem.objects.create(sitting=sitting, title="Welcome", planned_minutes=10)


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
