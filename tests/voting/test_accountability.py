"""The public accountability page, its Atom feed and the register's counts; and the acceptance
check: with time moved past the deadline, unanswered recommendations show as overdue publicly
and the reminders were queued exactly once."""

import html
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from juries.charts import WIDTH
from juries.models import Membership, Role, Visibility
from tests.chart_helpers import svg_of, table_rows, widths
from tests.voting.responses_factories import decided_jury, publish
from voting.models import ReminderSent, ResponseStatus
from voting.reminders import queue_due_reminders
from voting.responses import add_progress, record_response


def page_url(jury):
    return reverse("voting:accountability", args=[jury.slug])


def feed_url(jury):
    return reverse("voting:accountability-feed", args=[jury.slug])


@pytest.fixture
def public(jury):
    jury.visibility = Visibility.PUBLIC
    jury.save()
    return jury


@pytest.fixture
def three(public, make_recommendation, oversight, facilitator, juror):
    """Three adopted recommendations (one rejected), the report published today; recommendation
    1 answered with progress, 2 and 3 not answered."""
    recs = decided_jury(public, make_recommendation, adopted=3, not_adopted=1)
    response = record_response(
        recs[0],
        oversight,
        ResponseStatus.ACCEPTED,
        "The error rates will be published.",
        planned_action="A yearly report on the council website.",
        owner="Head of Benefits Operations",
        due_by=timezone.localdate() + timedelta(days=200),
    )
    add_progress(response, oversight, ResponseStatus.ACCEPTED, "The first report is drafted.", 40)
    mail.outbox.clear()
    return recs


def test_the_page_opens_with_a_bar_of_the_answers_by_status(client, three):
    page = client.get(page_url(three[0].jury)).text
    svg = svg_of(page, "answers")
    assert svg.find("title").text == "Answers to the adopted recommendations"
    assert widths(svg) == pytest.approx([WIDTH / 3, WIDTH * 2 / 3], abs=0.01)
    rows = table_rows(page)
    assert ["Accepted", "1", "33.3%"] in rows
    assert ["Not answered yet", "2", "66.7%"] in rows
    assert ["Overdue", "0", "0%"] in rows


def overdue_headings(page):
    return re.findall(
        r"Recommendation (\d+) <strong class=\"tag tag--problem\">Overdue</strong>", page
    )


def entry_titles(feed):
    return re.findall(r"<entry><title>([^<]*)</title>", feed)


def test_past_the_deadline_unanswered_recommendations_are_overdue_publicly_and_reminded_once(
    client, three, oversight, facilitator
):
    jury = three[0].jury
    before = client.get(page_url(jury)).content.decode()
    assert overdue_headings(before) == []
    assert "Overdue" not in client.get(feed_url(jury)).content.decode()

    later = timezone.now() + timedelta(weeks=8, days=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        page = client.get(page_url(jury)).content.decode()
        feed = client.get(feed_url(jury)).content.decode()
    assert overdue_headings(page) == ["2", "3"]
    assert "2 are overdue." in page
    assert "The deadline has passed." in page
    assert entry_titles(feed)[0] == (
        "Overdue: 2 recommendations were not answered by the deadline, "
        f"{timezone.localdate(later - timedelta(days=1)):%-d %B %Y}"
    )
    assert "Overdue: recommendation 2. Adopted recommendation 2." in feed
    assert "Overdue: recommendation 1." not in feed

    queue_due_reminders(now=later)
    queue_due_reminders(now=later + timedelta(days=1))
    assert ReminderSent.objects.filter(jury=jury).count() == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [oversight.email, facilitator.email]
    )


def test_the_page_shows_support_the_answer_and_progress_in_words(client, three):
    page = client.get(page_url(three[0].jury)).content.decode()
    assert "9 of the 10 jurors who took a side could accept it (90%)" in page
    assert "Strongly support: 5" in page
    assert "The error rates will be published." in page
    assert "A yearly report on the council website." in page
    assert "Head of Benefits Operations" in page
    assert '<progress id="progress-' in page and 'value="40">40%</progress>' in page
    assert "40% done" in page
    assert "Not answered yet." in page
    assert "Only the recommendations the jury adopted are answered." in page
    assert "1 of 3 adopted recommendations answered." in page


def test_recommendations_the_jury_did_not_adopt_are_listed_apart_without_an_answer(client, three):
    page = client.get(page_url(three[0].jury)).content.decode()
    rejected_at = page.index("Recommendations the jury did not adopt")
    assert page.index("Rejected recommendation 1.") > rejected_at
    assert page.index("Adopted recommendation 3.") < rejected_at


def test_the_page_offers_its_feed_in_the_head(client, three):
    jury = three[0].jury
    page = client.get(page_url(jury)).content.decode()
    head = page[: page.index("</head>")]
    assert '<link rel="alternate" type="application/atom+xml"' in head
    assert f'href="{feed_url(jury)}"' in head


def test_a_hidden_jury_page_offers_no_feed(client, three, juror):
    jury = three[0].jury
    jury.visibility = Visibility.HIDDEN
    jury.save()
    client.force_login(juror)
    page = client.get(page_url(jury)).content.decode()
    assert "application/atom+xml" not in page
    assert "Only members can see this page" in page


def test_members_who_discuss_get_a_link_to_discuss_each_answer_and_the_public_does_not(
    client, three, juror, oversight
):
    jury = three[0].jury
    response = three[0].response
    link = reverse("deliberate:discuss", args=[jury.slug, "voting.response", response.pk])
    assert link not in client.get(page_url(jury)).content.decode()
    client.force_login(oversight)  # oversight members do not read the jurors' discussions
    assert link not in client.get(page_url(jury)).content.decode()
    client.force_login(juror)
    assert link in client.get(page_url(jury)).content.decode()


def test_nothing_is_listed_before_the_report_is_published(client, public, make_recommendation):
    decided_jury(public, make_recommendation, adopted=1, published_days_ago=None)
    page = client.get(page_url(public)).content.decode()
    assert "report is not published yet." in page
    assert "Adopted recommendation 1." not in page


def test_the_feed_lists_publication_answers_revisions_and_progress_newest_first(
    client, public, make_recommendation, oversight
):
    recs = decided_jury(public, make_recommendation, adopted=2, published_days_ago=2)
    response = record_response(recs[0], oversight, ResponseStatus.UNDER_CONSIDERATION, "Later.")
    record_response(recs[0], oversight, ResponseStatus.ACCEPTED, "Agreed after all.", based_on=1)
    add_progress(response, oversight, ResponseStatus.ACCEPTED, "Work has begun.", 10)
    result = client.get(feed_url(public))
    assert result["Content-Type"].startswith("application/atom+xml")
    feed = result.content.decode()
    assert entry_titles(feed) == [
        "Progress on recommendation 1: 10% done (Accepted)",
        "The answer to recommendation 1 was changed",
        "Recommendation 1 was answered",
        "The jury's report was published",
    ]
    assert "Work has begun." in feed
    assert "“Under consideration” to “Accepted”" in feed
    assert len(set(re.findall(r"<entry>.*?<id>([^<]*)</id>", feed))) == 4


def test_the_feed_escapes_what_people_wrote(client, public, make_recommendation, oversight):
    recs = decided_jury(public, make_recommendation, adopted=1, published_days_ago=2)
    response = record_response(recs[0], oversight, ResponseStatus.ACCEPTED, "Agreed.")
    add_progress(response, oversight, ResponseStatus.ACCEPTED, "<script>alert(1)</script>", 5)
    feed = client.get(feed_url(public)).content.decode()
    assert "<script>" not in feed
    assert "&amp;lt;script&amp;gt;" in feed  # escaped HTML inside an XML text node


def test_a_correction_is_its_own_feed_entry(client, public, make_recommendation):
    decided_jury(public, make_recommendation, adopted=1, published_days_ago=2)
    publish(public, version=2)
    titles = entry_titles(client.get(feed_url(public)).content.decode())
    assert titles[0] == "A correction to the report was published (version 2)"


def _answered_recommendations(jury, make_recommendation, oversight, count):
    recs = decided_jury(
        jury, make_recommendation, adopted=count, not_adopted=1, published_days_ago=9
    )
    for rec in recs[: count // 2]:
        first = record_response(rec, oversight, ResponseStatus.UNDER_CONSIDERATION, "Later.")
        response = record_response(rec, oversight, ResponseStatus.ACCEPTED, "Agreed.", based_on=1)
        assert response.version == first.version + 1
        add_progress(response, oversight, ResponseStatus.ACCEPTED, "Begun.", 20)
        add_progress(response, oversight, ResponseStatus.ACCEPTED, "Half way.", 50)


def test_the_page_does_not_do_more_queries_for_more_recommendations(
    client, make_jury, make_recommendation, oversight, juror
):
    client.force_login(juror)
    small = make_jury(slug="small", visibility=Visibility.PUBLIC)
    big = make_jury(slug="big", visibility=Visibility.PUBLIC)
    for jury in (small, big):
        Membership.objects.get_or_create(jury=jury, user=juror, defaults={"role": Role.JUROR})
        Membership.objects.get_or_create(
            jury=jury, user=oversight, defaults={"role": Role.OVERSIGHT}
        )
    _answered_recommendations(small, _maker(make_recommendation, small), oversight, 2)
    _answered_recommendations(big, _maker(make_recommendation, big), oversight, 12)
    client.get(page_url(small))
    with CaptureQueriesContext(connection) as few:
        assert client.get(page_url(small)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(page_url(big)).status_code == 200
    assert len(many) == len(few)


def _maker(make_recommendation, jury):
    def make(statement):
        number = jury.recommendations.count() + 1
        return make_recommendation(statement, jury=jury, number=number)

    return make


def feed_entries(feed):
    """Each entry's title and summary (as the feed reader gets it, unescaped once)."""
    return [
        (title, html.unescape(summary))
        for title, summary in re.findall(
            r"<entry><title>([^<]*)</title>.*?<summary[^>]*>(.*?)</summary>", feed, re.S
        )
    ]


def test_the_page_keeps_every_earlier_wording_of_an_answer_newest_first(
    client, public, make_recommendation, oversight
):
    recs = decided_jury(public, make_recommendation, adopted=1, published_days_ago=2)
    record_response(recs[0], oversight, ResponseStatus.UNDER_CONSIDERATION, "First wording.")
    record_response(recs[0], oversight, ResponseStatus.NOT_ACCEPTED, "Second wording.", based_on=1)
    record_response(
        recs[0], oversight, ResponseStatus.ACCEPTED, "Third wording.", owner="Board", based_on=2
    )
    page = client.get(page_url(public)).content.decode()
    assert "<summary>Earlier versions of this answer (2)</summary>" in page
    earlier = page[page.index("Earlier versions of this answer") :]
    assert earlier.index("Second wording.") < earlier.index("First wording.")
    assert "Version 2" in earlier and "Version 1" in earlier
    assert "Not accepted" in earlier and "Under consideration" in earlier
    assert f"{timezone.localdate():%-d %B %Y}" in earlier
    assert page.index("Third wording.") < page.index("Earlier versions of this answer")


def test_an_answer_never_revised_shows_no_earlier_versions(client, three):
    page = client.get(page_url(three[0].jury)).content.decode()
    assert "Earlier versions of this answer" not in page


def test_each_feed_entry_for_an_answer_shows_the_wording_it_published(
    client, public, make_recommendation, oversight
):
    recs = decided_jury(public, make_recommendation, adopted=1, published_days_ago=2)
    record_response(
        recs[0], oversight, ResponseStatus.UNDER_CONSIDERATION, "We need a month.", owner="Board"
    )
    record_response(
        recs[0], oversight, ResponseStatus.ACCEPTED, "Agreed <in full>.", owner="Board", based_on=1
    )
    entries = dict(feed_entries(client.get(feed_url(public)).content.decode()))
    changed = entries["The answer to recommendation 1 was changed"]
    answered = entries["Recommendation 1 was answered"]
    assert "What changed: answer: “Under consideration” to “Accepted”; reasons" in changed
    assert "Answer: Accepted" in changed
    assert "Agreed &lt;in full&gt;." in changed  # what they wrote, escaped as HTML
    assert "We need a month." not in changed
    assert "Answer: Under consideration" in answered
    assert "We need a month." in answered  # the first wording stays readable in its entry
    assert "Who is responsible: Board" in answered
    assert "Adopted recommendation 1." in answered
