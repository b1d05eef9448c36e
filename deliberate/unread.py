"""Unread tracking: "3 new since your last visit".

A post is new to a person when someone else wrote it after their last visit: their own posts are
never news to them, wherever they fall among the others'."""

from django.db.models import Count, DateTimeField, F, OuterRef, Q, Subquery

from .models import ThreadVisit


def with_unread(threads, user):
    """Annotate each thread with `unread` for `user`: posts by others since their last visit
    (one query in all). A thread never opened counts all others' posts as new."""
    last_visit = ThreadVisit.objects.filter(thread=OuterRef("pk"), user=user).values("seen_at")[:1]
    threads = threads.annotate(
        last_visit=Subquery(last_visit, output_field=DateTimeField()),
    ).annotate(
        unread=Count(
            "posts",
            filter=~Q(posts__author=user)
            & (Q(last_visit__isnull=True) | Q(posts__created_at__gt=F("last_visit"))),
        )
    )
    return list(threads)


def new_posts(posts, visit, user):
    """Those of `posts` (in order) that are new to `user` since `visit` (None: never opened, so
    nothing is marked as new)."""
    if visit is None:
        return []
    return [post for post in posts if post.author_id != user.pk and post.created_at > visit.seen_at]


def mark_seen(thread, user):
    """Everything in `thread` up to now has been seen by `user`."""
    ThreadVisit.objects.update_or_create(
        thread=thread, user=user, defaults={"seen_count": thread.post_count}
    )
