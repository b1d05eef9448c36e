"""Double-clicks and retried requests do things once.

Every form that changes something carries a one-time key (`{% submission_key %}`). The first POST
with a key claims it; a second POST with the same key does nothing and is sent where the first one
went, with a note that it was already done.
"""

import secrets
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FormSubmission

FIELD = "submission_key"


def new_key():
    return secrets.token_urlsafe(24)


KEEP_FOR = timedelta(days=7)


def _forget_old_keys(user):
    """A key only needs to outlive a double-click or a retry; keep a week's worth."""
    FormSubmission.objects.filter(user=user, created_at__lt=timezone.now() - KEEP_FOR).delete()


def once(view):
    """Wrap a view whose POST must take effect at most once per form key.

    The claim is committed before the view runs, so a concurrent duplicate sees it at once. A POST
    that does not succeed (the form is shown again with errors) releases its key.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = request.POST.get(FIELD, "")[:64] if request.method == "POST" else ""
        if not key or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        try:
            with transaction.atomic():
                claim = FormSubmission.objects.create(user=request.user, key=key)
        except IntegrityError:
            earlier = FormSubmission.objects.filter(user=request.user, key=key).first()
            messages.info(request, _("That was already done: you sent the same form twice."))
            return redirect((earlier and earlier.redirect_to) or request.path)
        _forget_old_keys(request.user)
        try:
            response = view(request, *args, **kwargs)
        except Exception:
            claim.delete()  # refused or failed: nothing was done, so the key is free again
            raise
        if response.status_code in (301, 302, 303) and response.get("Location"):
            claim.redirect_to = response["Location"][:500]
            claim.save(update_fields=["redirect_to"])
        else:
            claim.delete()
        return response

    return wrapper
