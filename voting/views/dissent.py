"""Pages for statements of dissent: the list, writing one, adding or taking off one's name, and
hiding one for a stated legal reason (there is deliberately no page to edit or remove one)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from juries import refusals
from juries.idempotency import once
from juries.permissions import Action, get_jury_for

from .. import dissent as dissent_service
from ..forms.reports import DissentForm, HideDissentForm
from ..models import Dissent, Recommendation


def _back(request, default):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


def _dissents_for(access):
    return dissent_service.mark_for(
        Dissent.objects.filter(jury=access.jury)
        .select_related("recommendation")
        .prefetch_related("signers__juror"),
        access,
    )


@login_required
def dissent_list(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_RECOMMENDATIONS)
    dissents = _dissents_for(access)
    groups = {}
    for dissent in dissents:
        groups.setdefault(dissent.recommendation, []).append(dissent)
    return render(
        request,
        "voting/reports/dissent_list.html",
        {
            "access": access,
            "jury": access.jury,
            "whole_report": groups.pop(None, []),
            "groups": sorted(groups.items(), key=lambda pair: pair[0].number),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def dissent_create(request, slug):
    access = get_jury_for(request.user, slug, action=Action.WRITE_DISSENT)
    recommendations = Recommendation.objects.active().filter(jury=access.jury).order_by("number")
    about = request.GET.get("about", "")
    form = DissentForm(
        request.POST if request.method == "POST" else None,
        recommendations=recommendations,
        initial={"about": about} if about else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            dissent = dissent_service.write_dissent(
                access.jury, request.user, form.cleaned_data["text"], form.recommendation()
            )
        except refusals.Refused as error:
            refusals.on_form(form, error)
        else:
            messages.success(request, _("Your statement of dissent is saved with your name."))
            return redirect(reverse("voting:dissent-list", args=[slug]) + f"#dissent-{dissent.pk}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "voting/reports/dissent_form.html",
        {"access": access, "jury": access.jury, "form": form},
        status=status,
    )


def _dissent_of(access, dissent_id):
    return get_object_or_404(
        Dissent.objects.select_related("jury", "recommendation"), jury=access.jury, pk=dissent_id
    )


@login_required
@require_POST
@once
def dissent_sign(request, slug, dissent_id):
    access = get_jury_for(request.user, slug, action=Action.WRITE_DISSENT)
    dissent = _dissent_of(access, dissent_id)
    try:
        if request.POST.get("do") == "remove":
            dissent_service.remove_signature(dissent, request.user)
            messages.success(request, _("Your name is no longer on that statement."))
        else:
            dissent_service.add_signature(dissent, request.user)
            messages.success(request, _("Your name is on that statement of dissent."))
    except refusals.Refused as error:
        refusals.show(request, error)
    default = reverse("voting:dissent-list", args=[slug]) + f"#dissent-{dissent.pk}"
    return _back(request, default)


@login_required
@require_http_methods(["GET", "POST"])
@once
def dissent_hide(request, slug, dissent_id):
    access = get_jury_for(request.user, slug, action=Action.HIDE_DISSENT)
    dissent = _dissent_of(access, dissent_id)
    form = HideDissentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            dissent_service.hide_dissent(dissent, request.user, form.cleaned_data["reason"])
        except refusals.Refused as error:
            refusals.on_form(form, error)
        else:
            messages.success(request, _("The statement is hidden; the reason is shown instead."))
            return redirect(reverse("voting:dissent-list", args=[slug]) + f"#dissent-{dissent.pk}")
    return render(
        request,
        "voting/reports/dissent_hide.html",
        {"access": access, "jury": access.jury, "dissent": dissent, "form": form},
        status=400 if request.method == "POST" else 200,
    )


J = "juries/<slug:slug>/"

urlpatterns = [
    path(J + "dissent/", dissent_list, name="dissent-list"),
    path(J + "dissent/new/", dissent_create, name="dissent-create"),
    path(J + "dissent/<int:dissent_id>/sign/", dissent_sign, name="dissent-sign"),
    path(J + "dissent/<int:dissent_id>/hide/", dissent_hide, name="dissent-hide"),
]
