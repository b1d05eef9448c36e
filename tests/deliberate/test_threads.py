"""Discussions over plain HTTP: posting, replying, editing, withdrawing, flagging, moderating,
unread counts and emails. Everything here works without JavaScript."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deliberate import threads as thread_service
from deliberate.digests import send_digests
from deliberate.models import NotificationChoice, Notify, Post, Thread
from juries.events import render_frames
from juries.models import AuditEntry
from juries.permissions import Action


def post_url(thread):
    return reverse("deliberate:post-create", args=[thread.jury.slug, thread.pk])


def test_a_juror_starts_a_discussion_and_sees_it_listed(client, deliberating, juror):
    client.force_login(juror)
    response = client.post(
        reverse("deliberate:thread-create", args=[deliberating.slug]),
        {"title": "False positives", "body": "Who checks them?", "submission_key": "k1"},
    )
    thread = Thread.objects.get(title="False positives")
    assert response.status_code == 302
    page = client.get(reverse("deliberate:threads", args=[deliberating.slug])).content.decode()
    assert "False positives" in page
    assert thread.posts.get().author == juror


def test_a_juror_posts_and_the_post_is_on_the_thread_page(client, thread, juror):
    client.force_login(juror)
    response = client.post(post_url(thread), {"body": "I think **yes**.", "submission_key": "a"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "<strong>yes</strong>" in page
    assert "Your message has been posted." in page


def test_the_same_request_with_the_same_key_twice_creates_one_post(client, thread, juror):
    client.force_login(juror)
    data = {"body": "Only once, please.", "submission_key": "same-key"}
    first = client.post(post_url(thread), data)
    second = client.post(post_url(thread), data)
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert Post.objects.filter(body="Only once, please.").count() == 1


def test_an_empty_post_is_refused_with_a_message_and_nothing_typed_is_lost(client, thread, juror):
    client.force_login(juror)
    response = client.post(post_url(thread), {"body": "   ", "submission_key": "e"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    too_long = "x" * 10001
    response = client.post(post_url(thread), {"body": too_long, "submission_key": "f"})
    assert response.status_code == 400
    assert too_long in response.content.decode()  # kept in the form to shorten
    assert thread.posts.count() == 1


def test_markdown_is_sanitised(client, thread, juror):
    client.force_login(juror)
    client.post(
        post_url(thread),
        {"body": "<script>alert(1)</script> [x](javascript:alert(1))", "submission_key": "s"},
    )
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert "javascript:alert" not in page


def test_a_reply_names_the_post_it_answers(client, thread, juror, facilitator):
    first = thread.posts.get()
    client.force_login(juror)
    assert (
        client.get(reverse("deliberate:post-reply", args=[thread.jury.slug, first.pk])).status_code
        == 200
    )
    client.post(post_url(thread), {"body": "Agreed.", "reply_to": first.pk, "submission_key": "r"})
    reply = Post.objects.get(body="Agreed.")
    assert reply.reply_to == first
    assert "replying to" in client.get(thread.get_absolute_url()).content.decode()


def test_the_replying_to_link_points_at_the_post_answered_on_the_page_and_when_pushed(
    client, thread, juror, other_juror
):
    first = thread_service.add_post(thread=thread, body="Cost matters.", by=other_juror)
    reply = thread_service.add_post(thread=thread, body="It does.", by=juror, reply_to=first)
    client.force_login(juror)
    page = client.get(thread.get_absolute_url()).content.decode()
    pushed = "".join(
        render_frames(
            thread.jury,
            Action.VIEW_THREADS,
            thread_service.POST_FRAGMENT,
            {"post": reply, "thread": thread, "kind": "post.added"},
        ).values()
    )
    for html in (page, pushed):
        assert f'href="#post-{first.pk}"' in html
        assert 'href="#post-"' not in html


def test_each_post_shows_its_authors_initials_beside_the_name_hidden_from_screen_readers(
    client, thread, juror
):
    post = thread_service.add_post(thread=thread, body="Mine.", by=juror)
    client.force_login(juror)
    html = client.get(thread.get_absolute_url()).content.decode()
    article = re.search(rf'<article id="post-{post.pk}".*?</header>', html, re.S).group(0)
    assert re.search(r'<span class="avatar avatar--\d" aria-hidden="true">J</span>', article)
    assert re.search(r'<h3 class="post__author"[^>]*>Jo</h3>', article)


def test_an_edit_keeps_the_earlier_wording_as_visible_history(client, thread, juror):
    mine = thread_service.add_post(thread=thread, body="First wording.", by=juror)
    client.force_login(juror)
    response = client.post(
        reverse("deliberate:post-edit", args=[thread.jury.slug, mine.pk]),
        {"body": "Second wording.", "submission_key": "ed"},
    )
    assert response.status_code == 302
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Second wording." in page and "edited: see earlier wording" in page
    history = client.get(reverse("deliberate:post-history", args=[thread.jury.slug, mine.pk]))
    assert "First wording." in history.content.decode()


def test_nobody_but_the_author_changes_a_post(client, thread, other_juror, juror):
    mine = thread_service.add_post(thread=thread, body="Mine.", by=juror)
    client.force_login(other_juror)
    url = reverse("deliberate:post-edit", args=[thread.jury.slug, mine.pk])
    assert client.post(url, {"body": "Not yours."}).status_code == 403
    mine.refresh_from_db()
    assert mine.body == "Mine."


def test_a_withdrawn_post_leaves_a_placeholder(client, thread, juror, other_juror):
    mine = thread_service.add_post(thread=thread, body="Taken back soon.", by=juror)
    client.force_login(juror)
    client.post(
        reverse("deliberate:post-withdraw", args=[thread.jury.slug, mine.pk]),
        {"submission_key": "w"},
    )
    client.force_login(other_juror)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Withdrawn by its author." in page
    assert "Taken back soon." not in page


def test_flagging_and_hiding_are_recorded_and_the_author_and_observers_see_the_reason(
    client, thread, juror, other_juror, facilitator, observer, mailoutbox
):
    rude = thread_service.add_post(thread=thread, body="A rude remark.", by=other_juror)
    client.force_login(juror)
    client.post(
        reverse("deliberate:post-flag", args=[thread.jury.slug, rude.pk]),
        {"reason": "It is rude", "submission_key": "fl"},
    )
    assert AuditEntry.objects.filter(action="post.flag").exists()

    client.force_login(facilitator)
    moderation = client.get(reverse("deliberate:moderation", args=[thread.jury.slug]))
    assert "Kim" in moderation.content.decode()
    client.post(
        reverse("deliberate:post-moderate", args=[thread.jury.slug, rude.pk]),
        {"do": "hide", "reason": "Please be kind", "submission_key": "hd"},
    )
    assert AuditEntry.objects.filter(action="post.hide").exists()
    assert any("hid your post" in message.body for message in mailoutbox)

    client.force_login(juror)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Please be kind" in page and "A rude remark." not in page
    for reader in (other_juror, observer):  # its author and the observers still read it
        client.force_login(reader)
        page = client.get(thread.get_absolute_url()).content.decode()
        assert "Please be kind" in page and "A rude remark." in page


def test_hiding_needs_a_reason_and_keeps_the_form(client, thread, facilitator, other_juror):
    post = thread_service.add_post(thread=thread, body="Fine.", by=other_juror)
    client.force_login(facilitator)
    response = client.post(
        reverse("deliberate:post-moderate", args=[thread.jury.slug, post.pk]),
        {"do": "hide", "reason": "", "submission_key": "h0"},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    post.refresh_from_db()
    assert post.is_visible


def test_unread_posts_are_counted_since_the_last_visit(client, thread, juror, other_juror):
    client.force_login(juror)
    client.get(thread.get_absolute_url())
    thread_service.add_post(thread=thread, body="One.", by=other_juror)
    thread_service.add_post(thread=thread, body="Two.", by=other_juror)
    listing = client.get(reverse("deliberate:threads", args=[thread.jury.slug])).content.decode()
    assert "2 new" in listing
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "2 new posts since your last visit" in page
    listing = client.get(reverse("deliberate:threads", args=[thread.jury.slug])).content.decode()
    assert "2 new" not in listing


def test_your_own_posts_are_never_new_and_the_marker_sits_before_the_first_post_by_another(
    client, thread, juror, other_juror
):
    client.force_login(juror)
    client.get(thread.get_absolute_url())
    mine = client.post(post_url(thread), {"body": "My reply.", "submission_key": "m"}, follow=True)
    assert "since your last visit" not in mine.content.decode()  # my own reply is not news
    assert 'id="post-list-new"' not in mine.content.decode()
    theirs = thread_service.add_post(thread=thread, body="Their answer.", by=other_juror)
    thread_service.add_post(thread=thread, body="My second thought.", by=juror)
    listing = client.get(reverse("deliberate:threads", args=[thread.jury.slug])).content.decode()
    assert "1 new" in listing and "2 new" not in listing
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "1 new post since your last visit" in page
    marker = page.index('id="post-list-new"')
    assert page.index("My reply.") < marker < page.index(f'id="post-{theirs.pk}"')
    assert page.count('id="post-list-new"') == 1


def test_someone_who_asked_for_every_reply_gets_an_email(thread, juror, other_juror, mailoutbox):
    NotificationChoice.objects.create(user=juror, choice=Notify.REPLIES)
    mine = thread_service.add_post(thread=thread, body="Mine.", by=juror)
    thread_service.add_post(thread=thread, body="A reply.", by=other_juror, reply_to=mine)
    assert [m.to for m in mailoutbox] == [[juror.email]]
    assert "Kim replied to you" in mailoutbox[0].subject


def test_the_daily_digest_lists_others_posts_once(thread, juror, other_juror, mailoutbox):
    news = thread_service.add_post(thread=thread, body="News for the digest.", by=other_juror)
    Post.objects.filter(pk=news.pk).update(created_at=news.created_at - timedelta(minutes=5))
    thread_service.add_post(thread=thread, body="Too fresh: in the next one.", by=other_juror)
    send_digests.enqueue()
    to_jo = [m for m in mailoutbox if m.to == [juror.email]]
    assert len(to_jo) == 1 and "News for the digest." in to_jo[0].body
    assert "Too fresh" not in to_jo[0].body
    mailoutbox.clear()
    send_digests.enqueue()
    assert not [m for m in mailoutbox if m.to == [juror.email]]


def test_people_who_chose_nothing_get_no_digest(thread, juror, other_juror, mailoutbox):
    NotificationChoice.objects.create(user=juror, choice=Notify.NOTHING)
    quiet = thread_service.add_post(thread=thread, body="Quiet please.", by=other_juror)
    Post.objects.filter(pk=quiet.pk).update(created_at=quiet.created_at - timedelta(minutes=5))
    send_digests.enqueue()
    assert not [m for m in mailoutbox if m.to == [juror.email]]


def test_the_notification_choice_is_saved(client, juror):
    client.force_login(juror)
    client.post(reverse("deliberate:notifications"), {"choice": "replies"})
    assert NotificationChoice.objects.get(user=juror).choice == Notify.REPLIES


def make_item(jury, published=True):
    from django.utils import timezone

    from evidence.models import EvidenceItem, EvidencePack

    pack = EvidencePack.objects.create(
        jury=jury, title="P", published_at=timezone.now() if published else None
    )
    return EvidenceItem.objects.create(
        pack=pack, title="Error rates", provided_by="D", standpoint="expert", summary="S"
    )


def test_an_evidence_item_gets_its_own_discussion_started_by_the_first_message(
    client, deliberating, juror, other_juror
):
    item = make_item(deliberating)
    client.force_login(juror)
    url = reverse("deliberate:discuss", args=[deliberating.slug, "evidence.evidenceitem", item.pk])
    start = client.get(url, follow=True)
    assert "Nobody has discussed this yet" in start.content.decode()
    assert not Thread.objects.about(item).exists()  # nothing listed until someone writes
    client.post(
        start.redirect_chain[-1][0],
        {
            "title": "About the evidence: Error rates",
            "body": "Hard to follow.",
            "about": f"evidence.evidenceitem:{item.pk}",
            "submission_key": "d1",
        },
    )
    thread = Thread.objects.about(item).get()
    client.force_login(other_juror)
    assert client.get(url).url == thread.get_absolute_url()


def test_nobody_starts_a_discussion_about_evidence_they_may_not_see(client, deliberating, juror):
    draft = make_item(deliberating, published=False)
    client.force_login(juror)
    url = reverse("deliberate:discuss", args=[deliberating.slug, "evidence.evidenceitem", draft.pk])
    assert client.get(url).status_code == 404
    create = reverse("deliberate:thread-create", args=[deliberating.slug])
    response = client.post(
        create,
        {"title": "x", "body": "y", "about": f"evidence.evidenceitem:{draft.pk}"},
    )
    assert response.status_code == 404
    assert not Thread.objects.about(draft).exists()


def test_the_thread_page_makes_the_same_number_of_queries_however_long(
    client, thread, juror, other_juror
):
    def queries_with(total):
        while thread.posts.count() < total:
            thread_service.add_post(thread=thread, body="More", by=other_juror)
        client.get(thread.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(thread.get_absolute_url()).status_code == 200
        return len(queries)

    client.force_login(juror)
    assert queries_with(5) == queries_with(50)


def test_a_persons_data_download_includes_their_posts_and_earlier_wordings(client, thread, juror):
    mine = thread_service.add_post(thread=thread, body="Before.", by=juror)
    thread_service.edit_post(post=mine, body="After.", by=juror)
    client.force_login(juror)
    data = client.get(reverse("juries:download-data")).json()
    assert data["posts"][0]["body"] == "After."
    assert data["posts"][0]["earlier_wordings"] == ["Before."]


def test_saving_a_jury_loaded_earlier_never_winds_its_event_counter_back(thread, juror):
    stale = type(thread.jury).objects.get(pk=thread.jury.pk)
    thread_service.add_post(thread=thread, body="An event after loading.", by=juror)
    stale.title = "A new title"
    stale.save()  # as the details form or the admin would
    thread_service.add_post(thread=thread, body="And another, numbered after it.", by=juror)
    stale.refresh_from_db()
    assert stale.title == "A new title"
    assert stale.last_event_seq == stale.events.count() == stale.events.last().seq


def test_times_on_pages_carry_valid_datetime_values_without_fractions_of_a_second(
    client, thread, sitting, juror
):
    """A <time datetime> value with microseconds is invalid HTML (issue 14); seconds are enough."""
    client.force_login(juror)
    slug = thread.jury.slug
    pages = [
        reverse("deliberate:thread", args=[slug, thread.pk]),
        reverse("juries:sitting-list", args=[slug]),
        reverse("juries:sitting-detail", args=[slug, sitting.pk]),
    ]
    values = []
    for url in pages:
        values += re.findall(r'<time datetime="([^"]*)"', client.get(url).content.decode())
    assert len(values) >= 5  # the post, and each sitting's start and end on two pages
    valid = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:?\d\d)")
    assert [value for value in values if not valid.fullmatch(value)] == []
