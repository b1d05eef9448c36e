"""The Atom feed of a jury's accountability page: what became of its recommendations.

Entries, newest first: each report version published, each answer recorded and each revision of
it (the audit log keeps every one), each progress update, and, once the deadline has passed
with adopted recommendations still unanswered, an "overdue" entry naming them.

Feed readers fetch without a session, so only public juries have a feed: any other slug is 404,
whoever asks.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, get_tag_uri
from django.utils.formats import date_format
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from juries.models import AuditEntry, Jury

from .models import ProgressUpdate, Recommendation, Report, Response
from .responses import deadline_for

MAX_ENTRIES = 100
ANSWER_ACTIONS = ("response.recorded", "response.revised")


@dataclass(frozen=True)
class Entry:
    title: str
    description: str
    link: str
    published: datetime
    key: str  # unique within the jury's feed; becomes part of the entry's id

    def guid(self, jury):
        return get_tag_uri(
            f"{settings.SITE_URL}/juries/{jury.slug}/accountability/{self.key}", jury.created_at
        )


def _page(jury, anchor=""):
    url = reverse("voting:accountability", args=[jury.slug])
    return f"{url}#{anchor}" if anchor else url


def _report_entries(jury):
    for report in Report.objects.filter(jury=jury).order_by("version"):
        if report.version == 1:
            title = _("The jury's report was published")
        else:
            title = _("A correction to the report was published (version %(version)s)") % {
                "version": report.version
            }
        description = _("SHA-256 of the published report: %(sha)s") % {"sha": report.sha256}
        if report.reason:
            description = f"{report.reason}\n\n{description}"
        yield Entry(title, description, _page(jury), report.published_at, f"report/{report.pk}")


def _answer_entries(jury):
    """One entry per answer recorded or revised, from the audit log (which keeps each change)."""
    entries = list(
        AuditEntry.objects.filter(jury=jury, action__in=ANSWER_ACTIONS).order_by("-at")[
            :MAX_ENTRIES
        ]
    )
    ids = {int(entry.target_id) for entry in entries if entry.target_id.isdigit()}
    responses = Response.objects.select_related("recommendation").in_bulk(ids)
    for entry in entries:
        response = responses.get(int(entry.target_id)) if entry.target_id.isdigit() else None
        if response is None:
            continue
        number = response.recommendation.number
        if entry.action == "response.recorded":
            title = _("Recommendation %(number)s was answered") % {"number": number}
        else:
            title = _("The answer to recommendation %(number)s was changed") % {"number": number}
        description = f"{entry.summary}\n\n{response.recommendation.statement}"
        yield Entry(
            title,
            description,
            _page(jury, f"recommendation-{number}"),
            entry.at,
            f"answer/{entry.pk}",
        )


def _progress_entries(jury):
    updates = (
        ProgressUpdate.objects.filter(response__recommendation__jury=jury)
        .select_related("response__recommendation")
        .order_by("-at")[:MAX_ENTRIES]
    )
    for update in updates:
        number = update.response.recommendation.number
        title = _("Progress on recommendation %(number)s: %(percent)s%% done (%(status)s)") % {
            "number": number,
            "percent": update.percent_done,
            "status": update.get_status_display(),
        }
        yield Entry(
            title,
            update.note,
            _page(jury, f"recommendation-{number}"),
            update.at,
            f"progress/{update.pk}",
        )


def _overdue_entry(jury):
    deadline = deadline_for(jury)
    if not deadline.passed:
        return
    overdue = list(
        Recommendation.objects.adopted()
        .filter(jury=jury, response__isnull=True)
        .order_by("number")
        .values_list("number", "statement")
    )
    if not overdue:
        return
    title = ngettext(
        "Overdue: %(count)s recommendation was not answered by the deadline, %(date)s",
        "Overdue: %(count)s recommendations were not answered by the deadline, %(date)s",
        len(overdue),
    ) % {"count": len(overdue), "date": date_format(deadline.date, "j F Y")}
    description = "\n".join(
        _("Overdue: recommendation %(number)s. %(statement)s")
        % {"number": number, "statement": statement}
        for number, statement in overdue
    )
    # Dated the first moment it became overdue: the start of the day after the deadline.
    became_overdue = timezone.make_aware(
        datetime.combine(deadline.date + timedelta(days=1), time.min),
        timezone.get_default_timezone(),
    )
    yield Entry(title, description, _page(jury), became_overdue, f"overdue/{deadline.date}")


def entries_for(jury):
    """Every entry of the jury's feed, newest first."""
    entries = [
        *_report_entries(jury),
        *_answer_entries(jury),
        *_progress_entries(jury),
        *_overdue_entry(jury),
    ]
    entries.sort(key=lambda entry: entry.published, reverse=True)
    return entries[:MAX_ENTRIES]


class AccountabilityFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        jury = Jury.objects.public().filter(slug=slug).first()
        if jury is None:
            raise Http404
        return jury

    def title(self, jury):
        return _("Answers to the recommendations of “%(title)s”") % {"title": jury.title}

    def subtitle(self, jury):
        return _(
            "The jury's report, the oversight body's answers to its recommendations, progress "
            "on them, and what is overdue."
        )

    def link(self, jury):
        return _page(jury)

    def feed_url(self, jury):
        return reverse("voting:accountability-feed", args=[jury.slug])

    def items(self, jury):
        return [(jury, entry) for entry in entries_for(jury)]

    def item_title(self, item):
        return item[1].title

    def item_description(self, item):
        # Atom summaries are HTML: escape what people wrote, keep their paragraphs.
        return linebreaks(item[1].description, autoescape=True)

    def item_link(self, item):
        return item[1].link

    def item_guid(self, item):
        jury, entry = item
        return entry.guid(jury)

    def item_pubdate(self, item):
        return item[1].published

    def item_updateddate(self, item):
        return item[1].published
