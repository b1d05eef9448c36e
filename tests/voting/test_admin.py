"""In the admin, staff can read recommendations and reports but change nothing, and never see a
ballot."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user
from voting.models import Ballot, PriorityBallot, Report, Vote, VoteState


@pytest.fixture
def staff(db):
    user = make_user("admin@example.org", "Admin")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def report(jury, facilitator):
    return Report.objects.create(
        jury=jury,
        version=1,
        content={"jury": {"title": jury.title}},
        sha256="a" * 64,
        published_at=timezone.now(),
        published_by=facilitator,
    )


def test_staff_cannot_change_or_delete_a_published_report_in_the_admin(client, staff, report):
    client.force_login(staff)
    change = reverse("admin:voting_report_change", args=[report.pk])
    delete = reverse("admin:voting_report_delete", args=[report.pk])

    assert client.get(change).status_code == 200  # they may read it
    assert client.post(change, {"reason": "Tidied", "sha256": "b" * 64}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    report.refresh_from_db()
    assert (report.sha256, report.reason) == ("a" * 64, "")


def test_ballots_are_not_in_the_admin_at_all(client, staff, jury, juror, make_recommendation):
    vote = Vote.objects.create(jury=jury, state=VoteState.OPEN)
    Ballot.objects.create(
        vote=vote, recommendation=make_recommendation(), juror=juror, level="oppose"
    )
    assert Ballot not in admin.site._registry
    assert PriorityBallot not in admin.site._registry
    client.force_login(staff)
    page = client.get(reverse("admin:voting_vote_change", args=[vote.pk])).content.decode()
    assert juror.email not in page
    assert "Oppose" not in page
