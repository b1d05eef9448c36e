"""The report's state on other pages, and the labels its frozen content needs.

The report's content keeps codes (`adopted`, `lived_experience`, ISO dates) so the JSON is the
same in every language; these filters turn them into words and dates when a page shows them.
"""

from datetime import date, datetime

from django import template

from juries.models import Stage
from juries.permissions import Action

from ..models import Report, ReportFileState
from ..models.decisions import LEVEL_LABELS, OUTCOME_LABELS

register = template.Library()


@register.inclusion_tag("voting/reports/_banner.html", takes_context=True)
def report_banner(context, access):
    """ "The report was published on …" with a link, or "being checked by jurors" at the report
    stage; nothing otherwise."""
    jury = access.jury
    latest = Report.objects.filter(jury=jury).order_by("-version").first()
    return {
        "jury": jury,
        "latest": latest,
        "checking": latest is None and jury.stage == Stage.REPORT,
        "may_view": access.may[Action.VIEW_RECOMMENDATIONS],
    }


@register.filter
def outcome_label(code):
    return OUTCOME_LABELS.get(code, code)


@register.filter
def stage_label(code):
    try:
        return Stage(code).label
    except ValueError:
        return code


@register.filter
def standpoint_label(code):
    from evidence.models.packs import Standpoint

    try:
        return Standpoint(code).label
    except ValueError:
        return code


@register.filter
def iso_date(value):
    """An ISO date or date-time from the content as a date or datetime, for `|date`."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.filter
def count_of(counts, level):
    return (counts or {}).get(level, 0)


@register.simple_tag
def levels():
    return list(LEVEL_LABELS.items())


@register.filter
def in_progress(file):
    return file.state in (ReportFileState.QUEUED, ReportFileState.MAKING)
