"""The Atom feed of a jury's accountability page: what became of its recommendations.

Entries, newest first: each report version published, each answer recorded and each revision of
it (from the wordings kept as ResponseRevision, so each entry shows the text as it was then and
what it changed), each progress update, and, once the deadline has passed with adopted
recommendations still unanswered, an "overdue" entry naming them.

Feed readers fetch without a session, so only public juries have a feed: any other slug is 404,
whoever asks.

The feed also carries the head of the jury's hash-chained audit log (its length and latest hash),
in its subtitle and as an `audit:head` element, so a reader that keeps the feed keeps a copy.
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

from juries import audit
from juries.models import Jury

from .deadlines import deadline_for
from .models import ProgressUpdate, Recommendation, Report
from .models.responses import ResponseRevision
from .responses import FIELDS, what_changed

MAX_ENTRIES = 100
# The namespace of the feed's `audit:head` element (text: the latest hash; `entries`: the count).
AUDIT_NAMESPACE = "urn:x-deliberate:audit-chain:1"


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


def _wording_text(wording):
    """An answer's wording (a ResponseRevision) as plain paragraphs."""
    parts = [_("Answer: %(status)s") % {"status": wording.get_status_display()}, wording.reasons]
    if wording.planned_action:
        parts.append(_("What will be done: %(action)s") % {"action": wording.planned_action})
    if wording.owner:
        parts.append(_("Who is responsible: %(owner)s") % {"owner": wording.owner})
    if wording.due_by:
        parts.append(_("By when: %(date)s") % {"date": date_format(wording.due_by, "j F Y")})
    return "\n\n".join(parts)


def _previous_wordings(wordings):
    """The wording each revision in `wordings` replaced, by (response id, version): one query."""
    ids = {wording.response_id for wording in wordings if wording.version > 1}
    if not ids:
        return {}
    return {
        (wording.response_id, wording.version): wording
        for wording in ResponseRevision.objects.filter(response_id__in=ids)
    }


def _answer_entries(jury):
    """One entry per wording of an answer: the first answer, then each revision with what it
    changed. Each shows the text as it was published then."""
    wordings = list(
        ResponseRevision.objects.filter(response__recommendation__jury=jury)
        .select_related("response__recommendation")
        .order_by("-at", "-pk")[:MAX_ENTRIES]
    )
    previous = _previous_wordings(wordings)
    deadline = deadline_for(jury)
    for wording in wordings:
        recommendation = wording.response.recommendation
        number = recommendation.number
        parts = [_wording_text(wording)]
        late = deadline.days_late(wording.response.answered_at)
        if wording.version == 1 and late:
            title = ngettext(
                "Recommendation %(number)s was answered late, %(days)s day after the deadline",
                "Recommendation %(number)s was answered late, %(days)s days after the deadline",
                late,
            ) % {"number": number, "days": late}
        elif wording.version == 1:
            title = _("Recommendation %(number)s was answered") % {"number": number}
        else:
            title = _("The answer to recommendation %(number)s was changed") % {"number": number}
            before = previous.get((wording.response_id, wording.version - 1))
            if before is not None:
                changes = what_changed(before, {name: getattr(wording, name) for name in FIELDS})
                parts.insert(0, _("What changed: %(changes)s") % {"changes": "; ".join(changes)})
        parts.append(
            _("The recommendation: %(statement)s") % {"statement": recommendation.statement}
        )
        yield Entry(
            title,
            "\n\n".join(parts),
            _page(jury, f"recommendation-{number}"),
            wording.at,
            f"answer/{wording.response_id}/{wording.version}",
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


class AtomWithAuditHead(Atom1Feed):
    """Atom, plus the head of the jury's audit log as a root element."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:audit": AUDIT_NAMESPACE}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        head = self.feed["audit_head"]
        handler.addQuickElement("audit:head", head.hash, {"entries": str(head.length)})


class AccountabilityFeed(Feed):
    feed_type = AtomWithAuditHead

    def feed_extra_kwargs(self, jury):
        return {"audit_head": audit.head(jury)}

    def get_object(self, request, slug):
        jury = Jury.objects.public().filter(slug=slug).first()
        if jury is None:
            raise Http404
        return jury

    def title(self, jury):
        return _("Answers to the recommendations of “%(title)s”") % {"title": jury.title}

    def subtitle(self, jury):
        head = audit.head(jury)
        about = _(
            "The jury's report, the oversight body's answers to its recommendations, progress "
            "on them, and what is overdue."
        )
        record = _(
            "The jury's audit log has %(count)s entries; the SHA-256 of the latest is %(hash)s."
        ) % {"count": head.length, "hash": head.hash}
        return f"{about} {record}"

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
