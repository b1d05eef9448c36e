"""A person's posts, for the download of everything Deliberate holds about them."""

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
