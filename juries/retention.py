"""Deleting the details of volunteers who did not end up on a jury's panel.

The privacy notice promises it: their names, addresses, access needs and answers are deleted a
number of days after the jury's report is published (`Recruitment.retention_days`, 90 unless the
facilitators change it). Invitations from a draw they never accepted and sessions that hold their
address go with them. The report's publication is the jury's move into the response stage,
which only publishing makes. Places on a draw keep the pseudonym, so the public draw still checks.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, erasure
from .models import Jury, PlaceKind, Recruitment, Stage, Volunteer


def _report_dates():
    """Jury id -> when it first moved into the response stage (its report was published)."""
    return dict(
        Jury.objects.filter(stage_changes__to_stage=Stage.RESPONSE)
        .annotate(reported=Min("stage_changes__changed_at"))
        .values_list("pk", "reported")
    )


def on_panel(jury):
    """Volunteers who hold a place on the jury's panel now (first picks and replacements)."""
    return Volunteer.objects.filter(
        Q(places__kind=PlaceKind.PANEL) | Q(places__replaces__isnull=False),
        jury=jury,
        places__replaced_by__isnull=True,
    )


def due_for_deletion(jury, now=None):
    """The volunteers of `jury` whose details should be gone by `now` (none before the date)."""
    now = now or timezone.now()
    reported = _report_dates().get(jury.pk)
    recruitment = Recruitment.objects.filter(jury=jury).first()
    days = recruitment.retention_days if recruitment else None
    if reported is None or days is None or reported + timedelta(days=days) > now:
        return Volunteer.objects.none()
    return Volunteer.objects.filter(jury=jury).exclude(pk__in=on_panel(jury).values("pk"))


def delete_expired_volunteers(now=None):
    """Delete every jury's volunteers past their retention date. Returns {jury slug: count}."""
    now = now or timezone.now()
    deleted = {}
    for jury in Jury.objects.filter(pk__in=list(_report_dates())).order_by("pk"):
        with transaction.atomic():
            due = due_for_deletion(jury, now)
            addresses = list(due.values_list("email", flat=True))
            count = len(addresses)
            if not count:
                continue
            erasure.forget_invitations_of(due)
            due.delete()
            erasure.end_sessions_holding(addresses)
            audit.record(
                actor=None,
                action="volunteers.delete",
                jury=jury,
                summary=_(
                    "Deleted the details of %(count)s volunteers not on the panel, as the "
                    "privacy notice says."
                )
                % {"count": count},
            )
        deleted[jury.slug] = count
    return deleted
