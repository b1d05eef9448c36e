"""The daily summary: one email per person with their juries' news and new discussion posts.

`manage.py send_digests` (run daily by cron or a scheduler) queues one `send_digests` task; the
worker builds and sends the emails. Nothing is sent from a web request. Each post and piece of
news is included once: every person's `digest_sent_until` moves forward as their summary is
queued.

What is in it follows two choices (see juries/notifications.py). Per jury (`Membership.emails`):
"a daily summary" puts the jury's unread news in it; "everything" leaves the news out (it was
emailed already); "only what needs me" leaves that jury out entirely, its posts included, so a
person who chose it for every jury gets no summary at all. Site-wide, for discussions
(`NotificationChoice`): "a daily summary of new posts" adds the posts of the juries left in.
"""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from juries import emails
from juries.models import EmailChoice, Membership, Notification
from juries.permissions import Action, allowed

from .models import NotificationChoice, Notify, Post, PostState

MAX_POSTS_LISTED = 20


def _readers():
    """Everyone who may get a summary: person -> (juries whose posts they get, juries whose
    news they get). Those with neither are left out."""
    choices = dict(NotificationChoice.objects.values_list("user_id", "choice"))
    memberships = (
        Membership.objects.select_related("jury", "user")
        .filter(user__is_active=True, user__deleted_at__isnull=True)
        .exclude(emails=EmailChoice.NEEDED)
    )
    readers = {}
    for membership in memberships:
        posts, news = readers.setdefault(membership.user, ([], []))
        if membership.emails == EmailChoice.SUMMARY:
            news.append(membership.jury)
        if choices.get(membership.user_id, Notify.DIGEST) != Notify.DIGEST:
            continue
        if allowed(membership.role, membership.jury.stage, Action.VIEW_THREADS):
            posts.append(membership.jury)
    return {user: juries for user, juries in readers.items() if juries[0] or juries[1]}


def news_for(user, juries, since, until):
    """The unread news of `juries` waiting for the person's summary, between the two times."""
    return list(
        Notification.objects.unread()
        .filter(
            user=user,
            jury__in=juries,
            for_summary=True,
            created_at__gt=since,
            created_at__lte=until,
        )
        .order_by("jury__title", "created_at")
    )


def digest_for(user, juries, since, until):
    """The posts a digest lists: others' visible posts in `juries` between the two times."""
    posts = (
        Post.objects.filter(
            thread__jury__in=juries,
            state=PostState.VISIBLE,
            created_at__gt=since,
            created_at__lte=until,
        )
        .exclude(author=user)
        .select_related("thread__jury", "author")
        .order_by("thread__jury__title", "thread__title", "created_at")
    )
    return list(posts)


@task()
def send_digests():
    # A minute's margin: a post saved just now but committed a moment later is in the next one.
    until = timezone.now() - timezone.timedelta(minutes=1)
    for user, (post_juries, news_juries) in _readers().items():
        choice, _created = NotificationChoice.objects.get_or_create(user=user)
        since = choice.digest_sent_until or (until - timezone.timedelta(days=1))
        posts = digest_for(user, post_juries, since, until) if post_juries else []
        news = news_for(user, news_juries, since, until) if news_juries else []
        with transaction.atomic():
            choice.digest_sent_until = until
            choice.save(update_fields=["digest_sent_until"])
            if posts or news:
                emails.queue(
                    "deliberate/email/digest",
                    to=user,
                    context={
                        "user": user,
                        "news": news[:MAX_POSTS_LISTED],
                        "posts": posts[:MAX_POSTS_LISTED],
                        "more": max(len(posts) - MAX_POSTS_LISTED, 0),
                        "count": len(posts),
                        "news_count": len(news),
                    },
                )
