"""The daily digest: one email per person with the new posts in their juries' discussions.

`manage.py send_digests` (run daily by cron or a scheduler) queues one `send_digests` task; the
worker builds and sends the emails. Nothing is sent from a web request. Each post is included
once: every person's `digest_sent_until` moves forward as their digest is queued.
"""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from juries import emails
from juries.models import Membership
from juries.permissions import Action, allowed

from .models import NotificationChoice, Notify, Post, PostState

MAX_POSTS_LISTED = 20


def _readers():
    """Everyone who may read discussions, with their choice (digest when they never chose)."""
    choices = dict(NotificationChoice.objects.values_list("user_id", "choice"))
    memberships = Membership.objects.select_related("jury", "user").filter(
        user__is_active=True, user__deleted_at__isnull=True
    )
    readers = {}
    for membership in memberships:
        if choices.get(membership.user_id, Notify.DIGEST) != Notify.DIGEST:
            continue
        if allowed(membership.role, membership.jury.stage, Action.VIEW_THREADS):
            readers.setdefault(membership.user, []).append(membership.jury)
    return readers


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
    for user, juries in _readers().items():
        choice, _created = NotificationChoice.objects.get_or_create(user=user)
        since = choice.digest_sent_until or (until - timezone.timedelta(days=1))
        posts = digest_for(user, juries, since, until)
        with transaction.atomic():
            choice.digest_sent_until = until
            choice.save(update_fields=["digest_sent_until"])
            if posts:
                emails.queue(
                    "deliberate/email/digest",
                    to=user,
                    context={
                        "user": user,
                        "posts": posts[:MAX_POSTS_LISTED],
                        "more": max(len(posts) - MAX_POSTS_LISTED, 0),
                        "count": len(posts),
                    },
                )
