"""A person's news: "What's new" across all their juries, and how much email they get about
each jury (see juries/notifications.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from .. import notifications
from ..forms import EmailChoiceForm
from ..models import EmailChoice
from ..permissions import Action, get_jury_for

CONFIRMATIONS = {
    EmailChoice.EVERYTHING: gettext_lazy(
        "You will get an email about each piece of news of this jury."
    ),
    EmailChoice.SUMMARY: gettext_lazy(
        "You will get one email a day at most, with what is new in this jury."
    ),
    EmailChoice.NEEDED: gettext_lazy(
        "You will only get emails about things you need to do, and reminders. "
        "Everything else is on your “What's new” page."
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def email_choice(request, slug):
    """Every member chooses, for this jury, everything, a daily summary or only what needs them."""
    access = get_jury_for(request.user, slug, action=Action.CHOOSE_EMAILS)
    form = EmailChoiceForm(
        request.POST if request.method == "POST" else None, instance=access.membership
    )
    if request.method == "POST" and form.is_valid():
        notifications.choose_emails(
            membership=access.membership, choice=form.cleaned_data["emails"]
        )
        messages.success(request, str(CONFIRMATIONS[EmailChoice(form.cleaned_data["emails"])]))
        return redirect("juries:home", slug)
    return render(
        request,
        "juries/email_choice.html",
        {"access": access, "jury": access.jury, "form": form},
    )


@login_required
def whats_new(request):
    """The signed-in person's own news, from all their juries, newest first."""
    items = notifications.for_page(request.user)
    unread = sum(1 for item in items if item["notification"].read_at is None)
    return render(request, "juries/whats_new.html", {"items": items, "unread": unread})


@login_required
@require_POST
def whats_new_read(request):
    """Mark all of the signed-in person's news read (only theirs)."""
    notifications.mark_all_read(request.user)
    messages.success(request, _("Everything on this page is marked as read."))
    return redirect("juries:whats-new")


urlpatterns = [
    path("whats-new/", whats_new, name="whats-new"),
    path("whats-new/read/", whats_new_read, name="whats-new-read"),
    path("juries/<slug:slug>/emails/", email_choice, name="email-choice"),
]
