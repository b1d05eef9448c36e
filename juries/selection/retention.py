"""Deleting what the volunteers' privacy notice says we stop keeping.

- Volunteers who did not end up on a jury's panel: their names, addresses, access needs and
  answers are deleted a number of days after the jury's report is published
  (`Recruitment.retention_days`, 90 unless the facilitators change it, at most
  `SELECTION_RETENTION_MAX_DAYS`), and in any case `SELECTION_DELETE_AFTER_DRAW_DAYS` after the
  lottery was drawn (or after registration closed, when nothing was drawn), so a jury that never
  reports keeps nobody's details for ever. Whichever comes first.
- Volunteers on the panel: what they said about access needs is deleted when the jury ends (its
  report is published), since nothing needs arranging after that.

Invitations from a draw that they never accepted and sessions that hold their address go with
them. The report's publication is the jury's move into the response stage, which only publishing
makes. Places on a draw keep the pseudonym, so the public draw still checks.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from juries import audit, erasure
from juries.models import Jury, PlaceKind, Recruitment, Stage, Volunteer


def _report_dates():
    """Jury id -> when it first moved into the response stage (its report was published)."""
    return dict(
        Jury.objects.filter(stage_changes__to_stage=Stage.RESPONSE)
        .annotate(reported=Min("stage_changes__changed_at"))
        .values_list("pk", "reported")
    )


def _drawn_dates():
    """Jury id -> when its panel was last drawn (a public draw's seed entered), else when
    registration closed; juries still recruiting have neither."""
    drawn = dict(
        Jury.objects.filter(draws__seed_entered_at__isnull=False)
        .annotate(drawn=Max("draws__seed_entered_at"))
        .values_list("pk", "drawn")
    )
    closed = Recruitment.objects.filter(closed_at__isnull=False).values_list("jury_id", "closed_at")
    return {jury_id: drawn.get(jury_id, at) for jury_id, at in closed} | drawn


def on_panel(jury):
    """Volunteers who hold a place on the jury's panel now (first picks and replacements)."""
    return Volunteer.objects.filter(
        Q(places__kind=PlaceKind.PANEL) | Q(places__replaces__isnull=False),
        jury=jury,
        places__replaced_by__isnull=True,
    )


def deletion_date(jury, *, reported=None, drawn=None):
    """When the details of `jury`'s volunteers not on the panel are due to go, or None while
    neither the report nor the draw (or the end of registration) has happened."""
    # A value saved before the upper bound existed is held to it too.
    days = min(Recruitment.objects.of(jury).retention_days, settings.SELECTION_RETENTION_MAX_DAYS)
    dates = []
    if reported is not None:
        dates.append(reported + timedelta(days=days))
    if drawn is not None:
        dates.append(drawn + timedelta(days=settings.SELECTION_DELETE_AFTER_DRAW_DAYS))
    return min(dates, default=None)


def due_for_deletion(jury, now=None, *, dates=None):
    """The volunteers of `jury` whose details should be gone by `now` (none before the date).
    `dates` is (report dates, draw dates) when the caller has read them for every jury."""
    now = now or timezone.now()
    reported, drawn = dates or (_report_dates(), _drawn_dates())
    due = deletion_date(jury, reported=reported.get(jury.pk), drawn=drawn.get(jury.pk))
    if due is None or due > now:
        return Volunteer.objects.none()
    return Volunteer.objects.filter(jury=jury).exclude(pk__in=on_panel(jury).values("pk"))


def forget_access_needs(jury, *, by=None):
    """Delete what `jury`'s volunteers said about access needs: the jury has ended, so nothing
    needs arranging. Call inside the caller's transaction; records it when there was any."""
    count = Volunteer.objects.filter(jury=jury).exclude(access_needs="").update(access_needs="")
    if count:
        audit.record(
            actor=by,
            action="volunteers.forget_access_needs",
            jury=jury,
            summary=_(
                "Deleted what %(count)s volunteers said about access needs, now that the jury "
                "has ended."
            )
            % {"count": count},
        )
    return count


def _delete_due(jury, now, dates):
    due = due_for_deletion(jury, now, dates=dates)
    addresses = list(due.values_list("email", flat=True))
    count = len(addresses)
    if count:
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
    return count


def delete_expired_volunteers(now=None):
    """Delete every jury's volunteers past their retention date, and the access needs of every
    ended jury's panel. Returns {jury slug: volunteers deleted}."""
    now = now or timezone.now()
    reported, drawn = _report_dates(), _drawn_dates()
    deleted = {}
    for jury in Jury.objects.filter(pk__in=list(reported | drawn)).order_by("pk"):
        with transaction.atomic():
            if jury.pk in reported:
                forget_access_needs(jury)
            count = _delete_due(jury, now, (reported, drawn))
        if count:
            deleted[jury.slug] = count
    return deleted
