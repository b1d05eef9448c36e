"""Pages for a jury's members: the jury home and their own choices within it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..announcements import unread_for
from ..forms import NameVisibilityForm
from ..models import Role
from ..next_step import next_step_for
from ..permissions import Action, get_jury_for
from ..timeline import timeline_for


@login_required
def my_juries(request):
    memberships = request.user.memberships.select_related("jury").order_by("jury__title")
    if len(memberships) == 1 and not request.GET.get("all"):
        return redirect("juries:home", memberships[0].jury.slug)
    return render(request, "juries/my_juries.html", {"memberships": memberships})


@login_required
def jury_home(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_JURY)
    jury = access.jury
    now = timezone.now()
    upcoming = list(jury.sittings.upcoming(now)[:3])
    counts = jury.memberships.aggregate(
        jurors=Count("pk", filter=Q(role=Role.JUROR)),
        facilitators=Count("pk", filter=Q(role=Role.FACILITATOR)),
    )
    facilitators = jury.memberships.facilitators().select_related("user")
    return render(
        request,
        "juries/jury_home.html",
        {
            "access": access,
            "jury": jury,
            "next_step": next_step_for(request.user, access, upcoming[0] if upcoming else None),
            "upcoming": upcoming,
            "timeline": timeline_for(jury),
            "counts": counts,
            "facilitators": facilitators,
            "announcements": list(unread_for(access, request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def name_visibility(request, slug):
    access = get_jury_for(request.user, slug, action=Action.CHOOSE_NAME_VISIBILITY)
    form = NameVisibilityForm(
        request.POST if request.method == "POST" else None, instance=access.membership
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.instance.show_name_publicly:
            messages.success(
                request, _("Your display name is now shown on the jury's public page.")
            )
        else:
            messages.success(request, _("Your display name is no longer shown to the public."))
        return redirect("juries:home", slug)
    return render(
        request,
        "juries/name_visibility.html",
        {"access": access, "jury": access.jury, "form": form},
    )


urlpatterns = [
    path("mine/", my_juries, name="my-juries"),
    path("juries/<slug:slug>/home/", jury_home, name="home"),
    path("juries/<slug:slug>/my-name/", name_visibility, name="name-visibility"),
]
