"""Threads and posts: starting, posting, editing, withdrawing, flagging and moderating.

Each function owns its transaction, records moderation in the audit log and publishes one event
to the jury's stream, which open pages receive after commit. Callers have already checked the
permission named in each docstring.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from juries import audit, emails, events, text_limits
from juries.permissions import Action, access_for, can, may_change_post
from juries.refusals import Refused

from .models import (
    Flag,
    NotificationChoice,
    Notify,
    Post,
    PostRevision,
    PostState,
    Thread,
)

POST_FRAGMENT = "deliberate/thread.html#post-pushed"


class ThreadError(Refused):
    """A change that cannot be made; its message is shown to the person as it is."""


def _publish_post(post, kind, *, announce=""):
    thread = post.thread
    events.publish(
        thread.jury,
        kind,
        requires=Action.VIEW_THREADS,
        template=POST_FRAGMENT,
        context={"post": post, "thread": thread, "kind": kind, "announce": announce},
        # While the group meets, its posts go to its members (and facilitators and observers);
        # afterwards its thread is one of the jury's like any other.
        small_group_id=(
            thread.small_group_id
            if thread.small_group and thread.small_group.closed_at is None
            else None
        ),
        data={"thread": thread.pk, "post": post.pk, "by": post.author_id},
    )


def start_thread(*, jury, title, body, by, subject=None, small_group=None):
    """Start a thread with its first post. Needs Action.POST_IN_THREADS."""
    with transaction.atomic():
        thread = Thread.objects.create(
            jury=jury, title=title, subject=subject, small_group=small_group, started_by=by
        )
        add_post(thread=thread, body=body, by=by)
    return thread


def thread_for(*, jury, subject, title, small_group=None):
    """The thread about `subject`, started empty if there is none yet (agenda items, groups)."""
    thread = Thread.objects.about(subject).filter(jury=jury).first()
    if thread is None:
        thread = Thread.objects.create(
            jury=jury, title=title, subject=subject, small_group=small_group
        )
    return thread


def add_post(*, thread, body, by, reply_to=None):
    """Post in `thread`, optionally as a reply. Needs Action.POST_IN_THREADS.

    Emails the person replied to if they asked for every reply (through the worker).
    """
    body = body.strip()
    if not body:
        raise ThreadError(_("Write your message before posting it."))
    text_limits.check(body, text_limits.LONG, error=ThreadError)
    if reply_to is not None and reply_to.thread_id != thread.pk:
        raise ThreadError(_("You can only reply to a post in the same thread."))
    with transaction.atomic():
        post = Post.objects.create(thread=thread, author=by, body=body, reply_to=reply_to)
        Thread.objects.filter(pk=thread.pk).update(
            post_count=F("post_count") + 1, last_post_at=post.created_at
        )
        thread.post_count += 1
        thread.last_post_at = post.created_at
        _publish_post(
            post,
            "post.added",
            announce=_("New post by %(name)s in “%(thread)s”.")
            % {"name": by.public_name, "thread": thread.title},
        )
        if reply_to is not None and reply_to.author_id != by.pk:
            _email_reply(post, reply_to)
    return post


# The email telling an author a facilitator hid their post: the only mail about a hidden post.
HIDDEN_NOTICE = "deliberate/email/hidden"


def _email_reply(post, reply_to):
    choice = NotificationChoice.objects.filter(user_id=reply_to.author_id).first()
    if choice is None or choice.choice != Notify.REPLIES or reply_to.author.deleted_at:
        return
    if not can(reply_to.author, Action.VIEW_THREADS, post.thread.jury):
        return  # no longer a reader of this jury's discussions (removed, or another role now)
    emails.queue(
        "deliberate/email/reply",
        to=reply_to.author,
        context={
            "post": post,
            "thread": post.thread,
            "jury": post.thread.jury,
            "url": settings.SITE_URL + post.get_absolute_url(),
        },
    )


def edit_post(*, post, body, by):
    """Change a post's words; the earlier wording is kept as its history. Only the author
    (`may_change_post`)."""
    body = body.strip()
    if not may_change_post(access_for(by, post.thread.jury), post):
        raise ThreadError(_("Only the author can change a post, and only while it is shown."))
    if not body:
        raise ThreadError(_("Write your message before saving it."))
    text_limits.check(body, text_limits.LONG, error=ThreadError)
    if body == post.body:
        return post
    with transaction.atomic():
        PostRevision.objects.create(
            post=post, body=post.body, written_at=post.edited_at or post.created_at
        )
        post.body = body
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "edited_at"])
        _publish_post(post, "post.changed")
    return post


def withdraw_post(*, post, by):
    """The author takes a post back (`may_change_post`). A placeholder stays so replies still
    make sense."""
    if not may_change_post(access_for(by, post.thread.jury), post):
        raise ThreadError(_("Only the author can withdraw a post, and only while it is shown."))
    with transaction.atomic():
        post.state = PostState.WITHDRAWN
        post.save(update_fields=["state"])
        events.forget_frames(post.thread.jury_id, post=post.pk)  # replays no longer show it
        _publish_post(post, "post.changed")
    return post


def flag_post(*, post, by, reason):
    """Ask the facilitators to look at a post. Needs Action.FLAG_POSTS. Flagging twice is kept
    as one flag with the newer reason."""
    reason = reason.strip()
    if not reason:
        raise ThreadError(_("Say briefly what is wrong, so the facilitators know what to look at."))
    with transaction.atomic():
        flag, created = Flag.objects.update_or_create(
            post=post, flagged_by=by, defaults={"reason": reason[:300], "resolved_at": None}
        )
        # Who flagged stays with the flag, which only facilitators see; observers read the log.
        audit.record(
            actor=None,
            action="post.flag",
            jury=post.thread.jury,
            target=post,
            subject=post.author,
            summary=_("A juror flagged a post by {person} in “%(thread)s”.")
            % {"thread": post.thread.title},
        )
    return flag


def hide_post(*, post, by, reason):
    """Hide a post with a reason its author (and everyone) sees; observers still read its words.
    Needs Action.MODERATE_POSTS. Resolves its flags and tells the author by email."""
    reason = reason.strip()
    if not reason:
        raise ThreadError(_("Give a reason. The author and the observers will see it."))
    if post.is_withdrawn:
        raise ThreadError(_("This post was withdrawn by its author, so it is not shown anyway."))
    with transaction.atomic():
        post.state = PostState.HIDDEN
        post.hidden_reason = reason[:300]
        post.hidden_by = by
        post.save(update_fields=["state", "hidden_reason", "hidden_by"])
        post.flags.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        events.forget_frames(post.thread.jury_id, post=post.pk)  # replays no longer show it
        audit.record(
            actor=by,
            action="post.hide",
            jury=post.thread.jury,
            target=post,
            subject=post.author,
            summary=_("Hid a post by {person}. Reason: %(reason)s")
            % {"reason": post.hidden_reason},
        )
        _publish_post(post, "post.changed")
        if not post.author.deleted_at:
            emails.queue(
                HIDDEN_NOTICE,
                to=post.author,
                context={
                    "post": post,
                    "thread": post.thread,
                    "jury": post.thread.jury,
                    "url": settings.SITE_URL + post.get_absolute_url(),
                },
            )
    return post


def restore_post(*, post, by):
    """Show a hidden post again. Needs Action.MODERATE_POSTS."""
    if not post.is_hidden:
        return post
    with transaction.atomic():
        post.state = PostState.VISIBLE
        post.hidden_reason = ""
        post.save(update_fields=["state", "hidden_reason"])
        audit.record(
            actor=by,
            action="post.restore",
            jury=post.thread.jury,
            target=post,
            subject=post.author,
            summary=_("Showed again a post by {person}."),
        )
        _publish_post(post, "post.changed")
    return post


def dismiss_flags(*, post, by):
    """The facilitators looked and the post stays. Needs Action.MODERATE_POSTS."""
    with transaction.atomic():
        count = post.flags.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        if count:
            audit.record(
                actor=by,
                action="post.flags-dismissed",
                jury=post.thread.jury,
                target=post,
                subject=post.author,
                summary=_("Looked at a flagged post by {person} and left it shown."),
            )
    return count
