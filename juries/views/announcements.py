"""Announcements: the jury's list, writing one (facilitators), and marking one read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import announcements as service
from ..forms import AnnouncementForm
from ..idempotency import once
from ..permissions import Action, can, get_jury_for


@login_required
def announcement_list(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_JURY)
    found = list(service.for_member(access).select_related("author"))
    read = set(
        access.jury.announcements.filter(reads__user=request.user).values_list("pk", flat=True)
    )
    return render(
        request,
        "juries/announcement_list.html",
        {
            "access": access,
            "jury": access.jury,
            "announcements": [(a, a.pk in read) for a in found],
            "can_post": can(request.user, Action.MAKE_ANNOUNCEMENTS, access.jury),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def announcement_create(request, slug):
    access = get_jury_for(request.user, slug, action=Action.MAKE_ANNOUNCEMENTS)
    form = AnnouncementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        announcement = service.post_announcement(jury=access.jury, form=form, by=request.user)
        messages.success(
            request,
            _("The announcement “%(title)s” has been posted and is being emailed.")
            % {"title": announcement.title},
        )
        return redirect("juries:announcement-list", slug)
    return render(
        request,
        "juries/announcement_form.html",
        {"access": access, "jury": access.jury, "form": form},
    )


@login_required
@require_POST
def announcement_read(request, slug, announcement_id):
    access = get_jury_for(request.user, slug, action=Action.VIEW_JURY)
    announcement = get_object_or_404(service.for_member(access), pk=announcement_id)
    service.mark_read(announcement=announcement, user=request.user)
    messages.success(request, _("Marked as read."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""
    return redirect(back or "juries:home", *([] if back else [slug]))


ANNOUNCEMENTS = "juries/<slug:slug>/announcements/"

urlpatterns = [
    path(ANNOUNCEMENTS, announcement_list, name="announcement-list"),
    path(ANNOUNCEMENTS + "new/", announcement_create, name="announcement-create"),
    path(
        ANNOUNCEMENTS + "<int:announcement_id>/read/", announcement_read, name="announcement-read"
    ),
]
