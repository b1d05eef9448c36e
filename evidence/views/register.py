"""The public register of systems under review, and bringing records in and out of it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from juries.idempotency import once
from juries.models import Jury
from juries.permissions import (
    can_manage_register,
    juries_for_new_systems,
    may_add_system_without_jury,
    may_edit_system,
)

from .. import atrs
from ..forms import ImportForm, RegisterFilterForm
from ..models import System


def _public_juries():
    return Prefetch("juries", queryset=Jury.objects.public().only("slug", "title", "stage"))


def register(request):
    form = RegisterFilterForm(request.GET or None)
    systems = System.objects.prefetch_related(_public_juries())
    if form.is_valid():
        systems = systems.search(form.cleaned_data["q"])
        for name in ("status", "phase"):
            if form.cleaned_data[name]:
                systems = systems.filter(**{name: form.cleaned_data[name]})
    page = Paginator(systems.order_by("name"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "evidence/register.html",
        {"form": form, "page": page, "may_manage": can_manage_register(request.user)},
    )


def system_detail(request, slug):
    system = get_object_or_404(System.objects.prefetch_related(_public_juries()), slug=slug)
    return render(
        request,
        "evidence/system_detail.html",
        {
            "system": system,
            "may_edit": may_edit_system(request.user, system),
            "history": system.versions.all(),
        },
    )


def system_export(request, slug, fmt):
    system = get_object_or_404(System, slug=slug)
    if fmt == "json":
        body, content_type = atrs.export_json(system), "application/json; charset=utf-8"
    else:
        body, content_type = atrs.export_csv(system), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{system.slug}.{fmt}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@once
def system_import(request, slug=None):
    """Bring in a transparency record: a new entry, linked to a jury the person facilitates, or
    (with a slug) a new version of an entry they may change. Refused with the entry's name when
    they may not: nothing of it is changed."""
    system = get_object_or_404(System, slug=slug) if slug is not None else None
    if system is not None and not may_edit_system(request.user, system):
        return render(request, "evidence/system_refused.html", {"system": system}, status=403)
    if system is None and not can_manage_register(request.user):
        raise PermissionDenied
    form = _import_form(request, system)
    problems = []
    if request.method == "POST" and form.is_valid():
        text, fmt = form.document()
        purpose = form.cleaned_data["purpose"].strip()
        saved, problems = atrs.import_record(
            text,
            fmt,
            system=system,
            overrides={"purpose": purpose} if purpose else None,
            by=request.user,
            jury=form.cleaned_data.get("jury"),
        )
        if saved is not None:
            messages.success(request, _("“%(name)s” is in the register.") % {"name": saved.name})
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "evidence/system_import.html",
        {"form": form, "problems": problems, "system": system},
    )


def _import_form(request, system):
    """A new entry is linked to a jury the person facilitates (staff may leave it unlinked)."""
    data = (request.POST, request.FILES or None) if request.method == "POST" else (None, None)
    if system is not None:
        return ImportForm(*data)
    juries = juries_for_new_systems(request.user)
    initial = {"jury": juries.filter(slug=request.GET.get("jury", "")).first()}
    return ImportForm(
        *data,
        juries=juries,
        jury_required=not may_add_system_without_jury(request.user),
        initial=initial,
    )


urlpatterns = [
    path("register/", register, name="register"),
    path("register/import/", system_import, name="system-import"),
    path("register/<slug:slug>/", system_detail, name="system"),
    path("register/<slug:slug>/import/", system_import, name="system-reimport"),
    path("register/<slug:slug>/record.json", system_export, {"fmt": "json"}, name="system-json"),
    path("register/<slug:slug>/record.csv", system_export, {"fmt": "csv"}, name="system-csv"),
]
