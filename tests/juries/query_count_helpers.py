"""A jury grown to a given size, for the query-count tests and the page benchmarks (no tests
here)."""

from django.utils import timezone

from juries.models import AgendaItem, Invitation, Membership, Role, Sitting
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
