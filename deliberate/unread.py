"""Unread tracking: "3 new since your last visit"."""

from django.db.models import IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from .models import ThreadVisit


def with_unread(threads, user):
    """Annotate each thread with `seen_count` and `unread` for `user` (one query in all).

    A thread never opened counts all its posts as new."""
    seen = ThreadVisit.objects.filter(thread=OuterRef("pk"), user=user).values("seen_count")[:1]
    threads = threads.annotate(
        seen_count=Coalesce(Subquery(seen, output_field=IntegerField()), Value(0))
    )
    result = list(threads)
    for thread in result:
        thread.unread = max(thread.post_count - thread.seen_count, 0)
    return result


def mark_seen(thread, user):
    """Everything in `thread` up to now has been seen by `user`."""
    ThreadVisit.objects.update_or_create(
        thread=thread, user=user, defaults={"seen_count": thread.post_count}
    )
