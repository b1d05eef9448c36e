"""The glossary, search, and the evidence the public may read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from juries import refusals
from juries.idempotency import once
from juries.permissions import Action, get_jury_for, get_public_jury

from .. import register
from ..forms import GlossaryTermForm, SearchForm, SystemLinkForm
from ..glossary import item_body
from ..models import EvidenceItem, ItemVisibility
from ..search import search


@login_required
@require_http_methods(["GET", "POST"])
@once
def glossary(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_EVIDENCE)
    form = None
    if access.may[Action.MANAGE_EVIDENCE]:
        form = GlossaryTermForm(
            request.POST if request.method == "POST" else None, jury=access.jury
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            term = form.save(commit=False)
            term.jury = access.jury
            term.save()
            messages.success(request, _("“%(term)s” is in the glossary.") % {"term": term.term})
            return redirect("evidence:glossary", slug)
    return render(
        request,
        "evidence/glossary.html",
        {"access": access, "jury": access.jury, "terms": access.jury.glossary.all(), "form": form},
    )


@login_required
def search_page(request, slug):
    access = get_jury_for(request.user, slug, action=Action.VIEW_EVIDENCE)
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid():
        drafts = access.may[Action.VIEW_DRAFT_EVIDENCE]
        results = search(access.jury, form.cleaned_data["q"], drafts=drafts)
    return render(
        request,
        "evidence/search.html",
        {"access": access, "jury": access.jury, "form": form, "results": results},
    )


def public_item(request, slug, item_id):
    """An item its facilitators made public, readable by anyone when the jury's page is public."""
    access = get_public_jury(request.user, slug)
    item = get_object_or_404(
        EvidenceItem.objects.select_related("pack"),
        pk=item_id,
        pack__jury=access.jury,
        pack__published_at__isnull=False,
        visibility=ItemVisibility.PUBLIC,
    )
    body_html, terms_used = item_body(item, access.jury)
    return render(
        request,
        "evidence/public_item.html",
        {
            "access": access,
            "jury": access.jury,
            "item": item,
            "body_html": body_html,
            "terms_used": terms_used,
        },
    )


def public_evidence(request, slug):
    """The items a public jury's facilitators made public, for anyone to read."""
    access = get_public_jury(request.user, slug)
    items = (
        EvidenceItem.objects.filter(
            pack__jury=access.jury,
            pack__published_at__isnull=False,
            visibility=ItemVisibility.PUBLIC,
        )
        .select_related("pack")
        .order_by("pack__position", "pack_id", "position", "id")
    )
    return render(request, "evidence/public_evidence.html", {"jury": access.jury, "items": items})


@login_required
@require_http_methods(["GET", "POST"])
@once
def jury_systems(request, slug):
    """The system(s) a jury reviews, linked to their entries in the public register."""
    access = get_jury_for(request.user, slug, action=Action.VIEW_EVIDENCE)
    jury = access.jury
    form = SystemLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not access.may[Action.MANAGE_EVIDENCE]:
            raise PermissionDenied
        system_id = request.POST.get("remove")
        if system_id:
            for system in jury.systems_under_review.filter(pk=system_id):
                register.unlink_system(jury, system, by=request.user)
            messages.success(request, _("The system is no longer linked to this jury."))
            return redirect("evidence:systems", slug)
        if form.is_valid():
            system = form.cleaned_data["system"]
            try:
                register.link_system(jury, system, by=request.user)
            except refusals.Refused as refusal:
                refusals.on_form(form, refusal, "system")
            else:
                messages.success(
                    request, _("The jury now reviews “%(name)s”.") % {"name": system.name}
                )
                return redirect("evidence:systems", slug)
    return render(
        request,
        "evidence/jury_systems.html",
        {"access": access, "jury": jury, "systems": jury.systems_under_review.all(), "form": form},
    )


J = "juries/<slug:slug>/evidence/"

urlpatterns = [
    path(J + "glossary/", glossary, name="glossary"),
    path(J + "system/", jury_systems, name="systems"),
    path(J + "search/", search_page, name="search"),
    path(J + "public/", public_evidence, name="public-evidence"),
    path(J + "public/<int:item_id>/", public_item, name="public-item"),
]
