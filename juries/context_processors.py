from django.conf import settings


def site(request):
    return {"DEMO_MODE": settings.DEMO_MODE}


def news(request):
    """How many unread notifications the signed-in person has, for the header's "What's new"
    link: a callable, so the database is only asked on pages that show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from .notifications import unread_count

        return unread_count(user)

    return {"unread_news": count}
