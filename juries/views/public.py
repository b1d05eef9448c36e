"""Pages anyone may read: the list of public juries and each public jury's page."""

from django.shortcuts import render
from django.urls import path

from .. import audit
from ..models import Jury, Recruitment, RecruitmentState, Stage
from ..permissions import get_public_jury
from ..timeline import jurors_work, timeline_for


def jury_list(request):
    """The home page: what a citizens' jury is and what taking part involves, then the public
    juries, each recruiting one inviting people to register."""
    juries = list(
        Jury.objects.public()
        .select_related("oversight_body")
        .with_juror_count()
        .with_recruitment()
        .prefetch_related("stage_plans")
        .order_by("-created_at")
    )
    for jury in juries:
        jury.jurors_work = jurors_work(jury.stage_plans.all())
    mine = Jury.objects.of_member(request.user).order_by("title")
    return render(
        request,
        "juries/jury_list.html",
        {
            "juries": juries,
            "recruiting": [jury for jury in juries if jury.recruiting],
            "my_juries": mine,
        },
    )


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
