"""The oversight body's response deadline: the one definition every page, email and report uses.

The deadline is the date the report was first published (version 1, in the site's time zone)
plus the jury's `response_weeks`; there is none before publication, and a correction does not
move it. A recommendation is *overdue* when it was adopted, has no answer, and today (in the
site's time zone) is after the deadline. Every place that shows or acts on the deadline (the
answering pages, the public accountability page and its feed, the register, the reminders, the
report's content and its emails) asks `deadline_for()`, `response_deadline()` or `Deadline`
here (the register counts in voting.templatetags.answers use `deadline_from()` too), so they
cannot disagree.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .models import Report, Response

NOT_LOOKED_UP = object()


def site_today(now=None):
    """Today's date in the site's time zone (not the visitor's), so everyone sees one deadline."""
    return timezone.localtime(now or timezone.now(), timezone.get_default_timezone()).date()


def deadline_from(published_at, weeks):
    """The deadline for a report first published at `published_at`, or None if it is not."""
    if published_at is None:
        return None
    published_on = timezone.localtime(published_at, timezone.get_default_timezone()).date()
    return published_on + timedelta(weeks=weeks)


def first_published_at(jury):
    """When the jury's report was first published (corrections do not move the deadline)."""
    return (
        Report.objects.filter(jury=jury, version=1).values_list("published_at", flat=True).first()
    )


def first_published_subquery(jury_ref="pk"):
    return Subquery(
        Report.objects.filter(jury=OuterRef(jury_ref), version=1)
        .order_by()
        .values("published_at")[:1]
    )


def _first_published_at(jury):
    """`first_published_at(jury)`, or the annotation of that name when the jury carries one."""
    published_at = getattr(jury, "first_published_at", NOT_LOOKED_UP)
    if published_at is NOT_LOOKED_UP:
        published_at = first_published_at(jury)
    return published_at


def _unanswered(recommendation):
    try:
        return recommendation.response is None
    except Response.DoesNotExist:
        return True


@dataclass(frozen=True)
class Deadline:
    """A jury's response deadline seen from one day (`today`, in the site's time zone)."""

    date: date | None
    today: date

    @property
    def published(self):
        return self.date is not None

    @property
    def passed(self):
        return self.date is not None and self.today > self.date

    @property
    def days_left(self):
        """Whole days from today to the deadline (0 on the day itself, negative after it)."""
        return (self.date - self.today).days if self.date is not None else None

    @property
    def days_overdue(self):
        return -self.days_left if self.passed else 0

    def days_late(self, answered_at):
        """Whole days after the deadline that an answer given at `answered_at` came (both dates
        in the site's time zone): 0 when it came on time, or there is no deadline."""
        if self.date is None or answered_at is None:
            return 0
        return max(0, (site_today(answered_at) - self.date).days)

    def overdue(self, recommendation):
        """Adopted, not answered, and the deadline has passed. Reads `result` and `response`:
        select_related them when checking many."""
        return self.passed and recommendation.is_adopted and _unanswered(recommendation)


def deadline_for(jury, now=None):
    """The jury's Deadline as of `now` (default: the present). One query, or none when the jury
    was annotated with `first_published_at` (`first_published_subquery()`)."""
    return Deadline(deadline_from(_first_published_at(jury), jury.response_weeks), site_today(now))


def response_deadline(jury, publishing_at=None):
    """The last day the oversight body has to answer (a date), or None before publication.

    While the first report is being published its content is written before its row exists:
    pass the moment of publication as `publishing_at`, and it counts as the first publication
    when there is none yet (a correction keeps the first one's deadline)."""
    return deadline_from(_first_published_at(jury) or publishing_at, jury.response_weeks)
