"""The facilitators' dashboard and the controls on it. Observers read it without the controls."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import attention, audit, members, refusals, stages
from ..forms import JuryDetailsForm, StageForm, StagePlanForm
from ..idempotency import once
from ..models import Stage, StagePlan
from ..permissions import Action, get_jury_for, may_remove_member
from ..timeline import timeline_for


@login_required
def dashboard(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_DASHBOARD)
    jury = access.jury
    current = Stage(jury.stage)
    now = timezone.now()
    needs_attention = attention.items_for(access, now)
    # The move on is offered only when it can be made; it stands out only once nothing is left.
    next_stage = current.next
    stopped_by = []
    if next_stage is not None and access.may[Action.CHANGE_STAGE]:
        stopped_by = stages.what_stops(jury, next_stage)
    return render(
        request,
        "juries/dashboard.html",
        {
            "access": access,
            "jury": jury,
            "memberships": jury.memberships.select_related("user").order_by(
                "role", "user__display_name"
            ),
            "invitations": jury.invitations.select_related("invited_by").order_by("-created_at")[
                :200
            ],
            "attention": needs_attention,
            "sittings": jury.sittings.upcoming(now)[:5],
            "timeline": timeline_for(jury),
            "stage_changes": jury.stage_changes.select_related("changed_by")[:10],
            "audit_entries": audit.for_display(jury.audit_entries.all()[:10], jury),
            "next_stage": None if stopped_by else next_stage,
            "blocked_stage": next_stage if stopped_by else None,
            "stopped_by": stopped_by,
            "previous_stage": current.previous,
        },
    )


@login_required
@require_POST
@once
def change_stage(request, slug):
    access = get_jury_for(request.user, slug, action=Action.CHANGE_STAGE)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the stage to move the jury to."))
        return redirect("juries:dashboard", slug)
    try:
        stages.change_stage(
            jury=access.jury,
            to_stage=form.cleaned_data["to_stage"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
    except refusals.Refused as error:
        refusals.show(request, error)
    else:
        messages.success(
            request,
            _("The jury is now at the “%(stage)s” stage.")
            % {"stage": access.jury.current_stage.label},
        )
    return redirect("juries:dashboard", slug)


@login_required
@require_http_methods(["GET", "POST"])
@once
def remove_member(request, slug, membership_id):
    access = get_jury_for(request.user, slug, action=Action.REMOVE_MEMBERS)
    membership = get_object_or_404(access.jury.memberships.select_related("user"), pk=membership_id)
    if not may_remove_member(access, membership):
        messages.error(request, _("You cannot remove yourself. Ask another facilitator."))
        return redirect("juries:dashboard", slug)
    if request.method == "POST":
        try:
            members.remove_member(membership=membership, by=request.user)
        except refusals.Refused as error:
            refusals.show(request, error)
            return redirect("juries:dashboard", slug)
        messages.success(
            request,
            _("%(name)s has been removed from the jury.") % {"name": membership.user.public_name},
        )
        return redirect("juries:dashboard", slug)
    return render(
        request,
        "juries/remove_member.html",
        {"access": access, "jury": access.jury, "membership": membership},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_jury(request, slug):
    access = get_jury_for(request.user, slug, action=Action.EDIT_DETAILS)
    form = JuryDetailsForm(
        request.POST if request.method == "POST" else None,
        instance=access.jury,
        allow_remit=access.may[Action.EDIT_REMIT],
    )
    if request.method == "POST" and form.is_valid():
        members.update_jury(jury=access.jury, form=form, by=request.user)
        messages.success(request, _("The jury's details have been saved."))
        return redirect("juries:dashboard", slug)
    return render(
        request, "juries/edit_jury.html", {"access": access, "jury": access.jury, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_timeline(request, slug):
    access = get_jury_for(request.user, slug, action=Action.EDIT_TIMELINE)
    jury = access.jury
    plans = {plan.stage: plan for plan in jury.stage_plans.all()}
    forms = [
        StagePlanForm(
            request.POST if request.method == "POST" else None,
            instance=plans.get(stage) or StagePlan(jury=jury, stage=stage),
            prefix=stage.value,
        )
        for stage in Stage
    ]
    for form in forms:
        form.error_prefix = form.instance.get_stage_display()
    if request.method == "POST" and all([form.is_valid() for form in forms]):
        members.update_timeline(jury=jury, forms=forms, by=request.user)
        messages.success(request, _("The timeline has been saved."))
        return redirect("juries:dashboard", slug)
    return render(
        request, "juries/edit_timeline.html", {"access": access, "jury": jury, "forms": forms}
    )


@login_required
def audit_log(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_AUDIT_LOG)
    page = Paginator(access.jury.audit_entries.all(), 50).get_page(request.GET.get("page"))
    page.object_list = audit.for_display(page.object_list, access.jury)
    return render(
        request,
        "juries/audit_log.html",
        {"access": access, "jury": access.jury, "page": page, "head": audit.head(access.jury)},
    )


MANAGE = "juries/<slug:slug>/manage/"

urlpatterns = [
    path(MANAGE, dashboard, name="dashboard"),
    path(MANAGE + "stage/", change_stage, name="change-stage"),
    path(MANAGE + "details/", edit_jury, name="edit-jury"),
    path(MANAGE + "timeline/", edit_timeline, name="edit-timeline"),
    path(MANAGE + "members/<int:membership_id>/remove/", remove_member, name="remove-member"),
    path("juries/<slug:slug>/audit/", audit_log, name="audit-log"),
]
