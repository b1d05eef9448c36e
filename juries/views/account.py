"""A person's own account pages."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import accounts, addresses, refusals
from ..forms import DeleteAccountForm, ProfileForm
from ..idempotency import once


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your details have been saved."))
        return redirect("juries:profile")
    return render(request, "account/profile.html", {"form": form})


@login_required
def download_data(request):
    data = accounts.export_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="deliberate-my-data-{stamp}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@once
def delete_account(request):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            accounts.delete_account(user=user)
        except refusals.Refused as error:
            refusals.on_form(form, error)
            return render(request, "account/delete.html", {"form": form})
        logout(request)
        messages.success(request, _("Your account has been deleted. Thank you for taking part."))
        return redirect("juries:jury-list")
    return render(request, "account/delete.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_address_change(request, token):
    """The link a request from staff sends to a person's current address. The link is the proof,
    so no sign-in is needed (they may have lost their devices). Mail scanners open links, so a
    GET only asks; the POST changes. A link that cannot be used says so and shows nothing else."""
    try:
        if request.method == "POST":
            change = addresses.confirm_email_change(token=token)
        else:
            change = addresses.read_change_link(token)
    except addresses.ChangeLinkError as error:
        return render(
            request,
            "juries/address_change_refused.html",
            {"problem": str(error)},
            status=error.status,
        )
    if request.method == "GET":
        return render(request, "juries/address_change_confirm.html", {"change": change})
    if request.user.is_authenticated and request.user.pk == change.user.pk:
        logout(request)  # this session has been ended with the others; start a clean one
    return render(request, "juries/address_change_done.html", {"change": change})


urlpatterns = [
    path("account/", profile, name="profile"),
    path("account/my-data.json", download_data, name="download-data"),
    path("account/delete/", delete_account, name="delete-account"),
    path(
        "account/confirm-address/<str:token>/",
        confirm_address_change,
        name="confirm-address-change",
    ),
]
