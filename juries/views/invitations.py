"""Inviting people, and the page an invitation link opens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from .. import invitations, refusals
from ..forms import BulkInviteForm, InviteForm
from ..idempotency import once
from ..models import Invitation, InvitationState, Role
from ..permissions import Action, get_jury_for


def _invite_many(request, jury, form):
    """Send the bulk form's invitations; return the result and the form to show next."""
    lines, problems = invitations.read_lines(form.text(), form.cleaned_data["role"])
    result = invitations.invite_many(jury=jury, lines=lines, by=request.user, request=request)
    result.problems = sorted(problems + result.problems)
    if result.invited:
        count = len(result.invited)
        messages.success(
            request,
            ngettext("%(count)s invitation sent.", "%(count)s invitations sent.", count)
            % {"count": count},
        )
    # Offer the lines that could not be used again, to be corrected and sent.
    retry = "\n".join(text for _number, text, _reason in result.problems)
    return result, BulkInviteForm(initial={"role": form.cleaned_data["role"], "addresses": retry})


def _invite_one(request, jury, form):
    """Send the single form's invitation; return True when it was sent."""
    try:
        invitation = invitations.invite(
            jury=jury,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            by=request.user,
            request=request,
        )
    except refusals.Refused as error:
        refusals.on_form(form, error, "email")
        return False
    messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
    return True


@login_required
@require_http_methods(["GET", "POST"])
@once
def invite(request, slug):
    access = get_jury_for(request.user, slug, action=Action.INVITE_MEMBERS)
    jury = access.jury
    invite_form, bulk_form, result = InviteForm(), BulkInviteForm(), None
    if request.method == "POST" and request.POST.get("kind") == "bulk":
        bulk_form = BulkInviteForm(request.POST, request.FILES)
        if bulk_form.is_valid():
            result, bulk_form = _invite_many(request, jury, bulk_form)
            if not result.problems:
                return redirect("juries:dashboard", slug)
    elif request.method == "POST":
        invite_form = InviteForm(request.POST)
        if invite_form.is_valid() and _invite_one(request, jury, invite_form):
            return redirect("juries:dashboard", slug)
    return render(
        request,
        "juries/invite.html",
        {
            "access": access,
            "jury": jury,
            "invite_form": invite_form,
            "bulk_form": bulk_form,
            "result": result,
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
    )


def _invitation_for_manager(request, slug, invitation_id):
    access = get_jury_for(request.user, slug, action=Action.INVITE_MEMBERS)
    return access, get_object_or_404(Invitation, pk=invitation_id, jury=access.jury)


@login_required
@require_POST
@once
def resend(request, slug, invitation_id):
    _access, invitation = _invitation_for_manager(request, slug, invitation_id)
    try:
        invitations.resend(invitation=invitation, by=request.user, request=request)
    except refusals.Refused as error:
        refusals.show(request, error)
    else:
        messages.success(
            request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
        )
    return redirect("juries:dashboard", slug)


@login_required
@require_POST
@once
def revoke(request, slug, invitation_id):
    _access, invitation = _invitation_for_manager(request, slug, invitation_id)
    try:
        invitations.revoke(invitation=invitation, by=request.user)
    except refusals.Refused as error:
        refusals.show(request, error)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email},
        )
    return redirect("juries:dashboard", slug)


def _closed(request, invitation):
    return render(
        request,
        "juries/invitation_closed.html",
        {"invitation": invitation, "jury": invitation.jury},
        status=410,
    )


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The page an emailed invitation link opens. Works signed in or out."""
    invitation = Invitation.objects.select_related("jury", "invited_by").filter(token=token).first()
    if invitation is None:
        return render(request, "juries/invitation_unknown.html", status=404)
    user = request.user
    if (
        invitation.state == InvitationState.ACCEPTED
        and user.is_authenticated
        and invitation.accepted_by_id == user.pk
    ):
        return redirect("juries:home", invitation.jury.slug)
    if invitation.state != InvitationState.PENDING:
        return _closed(request, invitation)

    context = {
        "invitation": invitation,
        "jury": invitation.jury,
        "is_juror": invitation.role == Role.JUROR,
    }
    if not user.is_authenticated:
        request.session[invitations.SESSION_KEY] = invitation.token
        has_account = (
            get_user_model().objects.filter(email__iexact=invitation.email, is_active=True).exists()
        )
        context["has_account"] = has_account
        if has_account:
            context["sign_in_url"] = (
                reverse("account_login") + "?" + urlencode({"next": request.path})
            )
        else:
            context["sign_up_url"] = (
                reverse("account_signup") + "?" + urlencode({"email": invitation.email})
            )
        return render(request, "juries/invitation.html", context)

    if user.email.lower() != invitation.email:
        request.session[invitations.SESSION_KEY] = invitation.token
        return render(request, "juries/invitation_mismatch.html", context)

    if request.method == "POST":
        try:
            invitations.accept(invitation=invitation, user=user)
        except refusals.Refused as error:
            refusals.show(request, error)
            return redirect("juries:my-juries")
        request.session.pop(invitations.SESSION_KEY, None)
        messages.success(request, _("Welcome to %(jury)s.") % {"jury": invitation.jury.title})
        return redirect("juries:home", invitation.jury.slug)
    return render(request, "juries/invitation.html", context)


MANAGE = "juries/<slug:slug>/manage/"

urlpatterns = [
    path("invitations/<str:token>/", invitation, name="invitation"),
    path(MANAGE + "invite/", invite, name="invite"),
    path(MANAGE + "invitations/<int:invitation_id>/resend/", resend, name="resend-invitation"),
    path(MANAGE + "invitations/<int:invitation_id>/revoke/", revoke, name="revoke-invitation"),
]
