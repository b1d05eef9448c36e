"""Pages anyone may read: the list of public juries and each public jury's page."""

from django.shortcuts import render
from django.urls import path

from .. import audit
from ..models import Jury, Recruitment, RecruitmentState, Stage
from ..permissions import get_public_jury
from ..timeline import timeline_for


def jury_list(request):
    juries = (
        Jury.objects.public()
        .select_related("oversight_body")
        .with_juror_count()
        .order_by("-created_at")
    )
    mine = Jury.objects.of_member(request.user).order_by("title")
    return render(request, "juries/jury_list.html", {"juries": juries, "my_juries": mine})


def jury_public(request, slug):
    access = get_public_jury(request.user, slug)
    jury = access.jury
    jurors = jury.memberships.jurors().select_related("user")
    named = [m.user.public_name for m in jurors if m.show_name_publicly and not m.user.is_deleted]
    return render(
        request,
        "juries/jury_public.html",
        {
            "access": access,
            "jury": jury,
            "timeline": timeline_for(jury),
            "juror_count": len(jurors),
            "named_jurors": sorted(named),
            "stages": Stage,
            "recruitment_open": Recruitment.objects.filter(
                jury=jury, state=RecruitmentState.OPEN
            ).exists(),
            "audit_head": audit.head(jury),
        },
    )


urlpatterns = [
    path("", jury_list, name="jury-list"),
    path("juries/<slug:slug>/", jury_public, name="public"),
]
