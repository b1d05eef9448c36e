from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..demo import tokens


@require_http_methods(["GET", "POST"])
def demo_sign_in(request, uidb64, token):
    """Sign a demo persona in from the link `make demo` printed. GET shows a button; POST signs in,
    so link previews and prefetchers cannot use up the link."""
    if not settings.DEMO_MODE:
        raise Http404
    try:
        # Demo personas only: never a staff account.
        user = get_user_model().objects.get(
            pk=force_str(urlsafe_base64_decode(uidb64)), is_active=True, is_staff=False
        )
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        user = None
    if user is None or not tokens.check_token(user, token):
        return render(request, "juries/demo_link_used.html", status=410)
    if request.method == "POST":
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.info(
            request, _("You are signed in as %(name)s (demo).") % {"name": user.public_name}
        )
        return redirect("juries:my-juries")
    return render(request, "juries/demo_sign_in.html", {"persona": user})
