"""A person's posts, for the download of everything Deliberate holds about them; and what the
jury's event stream forgets of them when they delete their account."""

from juries import events
from juries.models import JuryEvent

from .models import Post


def posts_of(user):
    return [
        {
            "jury": post.thread.jury.title,
            "thread": post.thread.title,
            "posted": post.created_at.isoformat(),
            "edited": post.edited_at.isoformat() if post.edited_at else None,
            "state": post.state,
            "body": post.body,
            "earlier_wordings": [revision.body for revision in post.revisions.all()],
        }
        for post in Post.objects.filter(author=user)
        .select_related("thread__jury")
        .prefetch_related("revisions")
    ]


def forget_in_event_stream(jury, user):
    """Replays no longer carry the name of a person who deleted their account: the stored HTML of
    their posts and of the live rooms (which list names) is dropped."""
    events.forget_frames(jury.pk, by=user.pk)
    JuryEvent.objects.filter(jury=jury, kind__startswith="room.").update(frames={})
