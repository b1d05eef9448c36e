"""The report's state on other pages, and the labels its frozen content needs.

The report's content keeps codes (`adopted`, `lived_experience`, ISO dates) so the JSON is the
same in every language; these filters turn them into words and dates when a page shows them.
"""

from datetime import date, datetime
from urllib.parse import urlsplit, urlunsplit

from django import template
from django.conf import settings

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


@register.filter
def site_path(url):
    """A link the content stored (made with the address of the server that built it) as a path
    on this site, so it works wherever the report is read: the page's own host, or the public
    address the PDF is made with (WeasyPrint resolves it against SITE_URL)."""
    parts = urlsplit(url or "")
    return urlunsplit(("", "", parts.path, parts.query, parts.fragment))


@register.filter
def public_address(url):
    """A stored link written out in full with the configured public address (SITE_URL), for
    text that is read rather than followed (the printed report's web address)."""
    return settings.SITE_URL + site_path(url)


@register.simple_tag
def report_summary(content):
    """How many recommendations were adopted and how many carry a statement of dissent."""
    recommendations = content.get("recommendations") or []
    return {
        "total": len(recommendations),
        "adopted": sum(
            1 for rec in recommendations if (rec.get("result") or {}).get("outcome") == "adopted"
        ),
        "with_dissent": sum(1 for rec in recommendations if rec.get("dissent")),
        "voted": any(rec.get("result") for rec in recommendations),
    }


@register.simple_tag
def report_chart(content, printing=False):
    """The vote's results as stacked bars, from the report's frozen counts; None without a vote."""
    from ..charts import results_chart

    vote = content.get("vote") or {}
    rows = [
        (rec["number"], rec["result"]["outcome"], rec["result"].get("counts") or {})
        for rec in content.get("recommendations") or []
        if rec.get("result")
    ]
    if not rows or not vote.get("rules"):
        return None
    return results_chart(
        rows, vote["rules"]["threshold_percent"], id="report-results", table_open=printing
    )
