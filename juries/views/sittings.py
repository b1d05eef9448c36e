"""Sittings: the calendar of live meetings, each sitting's agenda, and scheduling them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import refusals
from .. import sittings as sitting_service
from ..calendar import sitting_calendar
from ..forms import AgendaFormSet, SittingForm
from ..idempotency import once
from ..models import Sitting
from ..permissions import Action, get_jury_for
from ..refusals import Refused


def _sitting(access, sitting_id, *, cancelled_too=False):
    sittings = Sitting.with_cancelled if cancelled_too else Sitting.objects
    return get_object_or_404(
        sittings.filter(jury=access.jury).prefetch_related("agenda_items"), pk=sitting_id
    )


@login_required
def sitting_list(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_JURY)
    now = timezone.now()
    sittings = access.jury.sittings.prefetch_related("agenda_items").order_by("starts_at")
    return render(
        request,
        "juries/sitting_list.html",
        {
            "access": access,
            "jury": access.jury,
            "upcoming": [s for s in sittings if s.ends_at >= now],
            "past": [s for s in sittings if s.ends_at < now][::-1],
            "cancelled": Sitting.with_cancelled.filter(
                jury=access.jury, cancelled_at__isnull=False
            ).order_by("-starts_at"),
        },
    )


@login_required
def sitting_detail(request, slug, sitting_id):
    access = get_jury_for(request.user, slug, action=Action.VIEW_JURY)
    sitting = _sitting(access, sitting_id, cancelled_too=True)
    return render(
        request,
        "juries/sitting_detail.html",
        {
            "access": access,
            "jury": access.jury,
            "sitting": sitting,
            "held": not sitting.is_cancelled and sitting_service.is_held(sitting),
        },
    )


@login_required
def sitting_ics(request, slug, sitting_id):
    access = get_jury_for(request.user, slug, action=Action.VIEW_JURY)
    sitting = _sitting(access, sitting_id)
    body = sitting_calendar(sitting, request.build_absolute_uri(sitting.get_absolute_url()))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    filename = slugify(f"{access.jury.slug}-{sitting.title}") or "sitting"
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@once
def sitting_edit(request, slug, sitting_id=None):
    access = get_jury_for(request.user, slug, action=Action.MANAGE_SITTINGS)
    sitting = _sitting(access, sitting_id) if sitting_id is not None else None
    form = SittingForm(request.POST if request.method == "POST" else None, instance=sitting)
    agenda = AgendaFormSet(
        request.POST if request.method == "POST" else None, instance=sitting, prefix="agenda"
    )
    for number, item_form in enumerate(agenda.forms, start=1):
        item_form.error_prefix = _("Agenda item %(number)s") % {"number": number}
    # Validate both, so every problem on the page is shown at once.
    if request.method == "POST" and all([form.is_valid(), agenda.is_valid()]):
        sitting = sitting_service.save_sitting(
            jury=access.jury, form=form, agenda=agenda, by=request.user
        )
        messages.success(
            request, _("The sitting “%(title)s” has been saved.") % {"title": sitting.title}
        )
        return redirect(sitting.get_absolute_url())
    return render(
        request,
        "juries/sitting_form.html",
        {"access": access, "jury": access.jury, "sitting": sitting, "form": form, "agenda": agenda},
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def sitting_cancel(request, slug, sitting_id):
    access = get_jury_for(request.user, slug, action=Action.MANAGE_SITTINGS)
    sitting = _sitting(access, sitting_id)
    held = sitting_service.is_held(sitting)
    if request.method == "POST":
        try:
            sitting_service.cancel_sitting(sitting=sitting, by=request.user)
        except Refused as error:
            refusals.show(request, error)
            return redirect(sitting.get_absolute_url())
        messages.success(
            request, _("The sitting “%(title)s” has been cancelled.") % {"title": sitting.title}
        )
        return redirect("juries:sitting-list", slug)
    return render(
        request,
        "juries/sitting_cancel.html",
        {"access": access, "jury": access.jury, "sitting": sitting, "held": held},
    )


SITTINGS = "juries/<slug:slug>/sittings/"

urlpatterns = [
    path(SITTINGS, sitting_list, name="sitting-list"),
    path(SITTINGS + "new/", sitting_edit, name="sitting-create"),
    path(SITTINGS + "<int:sitting_id>/", sitting_detail, name="sitting-detail"),
    path(SITTINGS + "<int:sitting_id>/edit/", sitting_edit, name="sitting-edit"),
    path(SITTINGS + "<int:sitting_id>/cancel/", sitting_cancel, name="sitting-cancel"),
    path(SITTINGS + "<int:sitting_id>/calendar.ics", sitting_ics, name="sitting-ics"),
]
