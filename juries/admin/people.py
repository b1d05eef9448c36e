from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from juries import accounts, addresses, audit, members
from juries.models import (
    AgendaItem,
    AuditEntry,
    FormSubmission,
    Invitation,
    Jury,
    Membership,
    OversightBody,
    Sitting,
    StageChange,
    StagePlan,
    User,
)
from juries.permissions import may_ask_to_change_address

from .base import AuditedAdmin, DeleteThroughServiceMixin, ReadOnlyAdmin


class MembershipInline(admin.TabularInline):
    """Read-only here: memberships change through the Membership admin, which uses the services."""

    model = Membership
    extra = 0
    fields = ["user", "jury", "role", "show_name_publicly", "joined_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PersonCreationForm(forms.ModelForm):
    """Staff add a person by email; they sign in with emailed codes, so no password."""

    class Meta:
        model = User
        fields = ["email", "display_name"]

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class ChangeEmailForm(forms.Form):
    email = forms.EmailField(label=_("New email address"), max_length=254)


ACCESS_FIELDS = ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]


@admin.register(User)
class UserAdmin(DeleteThroughServiceMixin, BaseUserAdmin):
    """A person's address changes only when they confirm it: staff "Ask to change the email
    address" and a link goes to the current one (juries.addresses: audited, then signed out
    everywhere and the old address told); their name only on their own profile page; their
    memberships in the Membership admin. Deleting runs account deletion."""

    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "memberships__role"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["sign_in_address", "display_name", "timezone"]}),
        (_("Access"), {"fields": ACCESS_FIELDS}),
        (_("Dates"), {"fields": ["date_joined", "last_login", "deleted_at"]}),
    ]
    add_form = PersonCreationForm
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "display_name"]})]
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fields = ["sign_in_address", "display_name", "date_joined", "last_login", "deleted_at"]
        # Only a superuser grants or takes away staff rights and permissions.
        return fields if request.user.is_superuser else [*fields, *ACCESS_FIELDS]

    @admin.display(description=_("email address"))
    def sign_in_address(self, obj):
        url = reverse("admin:juries_user_change_email", args=[obj.pk])
        return format_html(
            '{} <a href="{}">{}</a>', obj.email, url, gettext("Ask to change the email address")
        )

    def get_urls(self):
        # No password page: nobody has a password here, and a password set by staff would be a
        # way in that the person never chose.
        urls = [u for u in super().get_urls() if u.name != "auth_user_password_change"]
        own = path(
            "<path:object_id>/email/",
            self.admin_site.admin_view(self.change_email_view),
            name="juries_user_change_email",
        )
        return [own, *urls]

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied

    def change_email_view(self, request, object_id):
        """Staff ask for a change; only the person, from their current address, makes it."""
        person = self.get_object(request, unquote(object_id))
        if person is None:
            raise Http404
        if not self.has_change_permission(request, person):
            raise PermissionDenied
        allowed = may_ask_to_change_address(request.user, person)
        form = ChangeEmailForm(request.POST if request.method == "POST" and allowed else None)
        if request.method == "POST" and form.is_valid():
            try:
                addresses.request_email_change(
                    user=person, new_email=form.cleaned_data["email"], by=request.user
                )
            except addresses.EmailChangeError as error:
                form.add_error("email", str(error))
            else:
                # The admin's own history names no address.
                self.log_change(request, person, gettext("Asked to change the email address."))
                self.message_user(
                    request,
                    gettext(
                        "A link to confirm the change was sent to the current address of "
                        "%(name)s. Their address changes only if they follow it."
                    )
                    % {"name": person.public_name},
                    messages.SUCCESS,
                )
                return redirect("admin:juries_user_change", person.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": person,
            "title": gettext("Ask to change the email address of %(name)s")
            % {"name": person.public_name},
            "form": form,
            "valid_days": addresses.CONFIRM_WITHIN.days,
            "refusal": None if allowed else addresses.NOT_FOR_STAFF,
        }
        return TemplateResponse(
            request, "admin/juries/user/change_email.html", context, status=200 if allowed else 403
        )

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            changed = [name for name in form.changed_data if name in ACCESS_FIELDS]
            if change and changed:
                labels = [str(form.fields[name].label or name) for name in changed]
                audit.record(
                    actor=request.user,
                    action="account.admin-access",
                    subject=obj,
                    summary=gettext("In the admin: changed “%(fields)s” for %(name)s.")
                    % {"fields": "”, “".join(labels), "name": audit.PERSON},
                )
            if change and "is_active" in changed and not obj.is_active:
                addresses.end_sessions(obj)

    # Deleting a person is account deletion, as if they had asked: see juries.accounts.

    def refusal(self, obj):
        sole = accounts.juries_only_facilitated_by(obj)
        if not sole:
            return None
        return gettext(
            "%(name)s is the only facilitator of %(juries)s. Add another facilitator first."
        ) % {"name": obj.public_name, "juries": ", ".join(f"“{jury.title}”" for jury in sole)}

    def describe_deletion(self, obj):
        return gettext(
            "The account of %(name)s: their email address, name, second factors and devices are "
            "erased and they are signed out. What they wrote, their memberships and any "
            "statements of dissent they signed stay, shown as by a former juror."
        ) % {"name": obj.public_name}

    def delete_through_service(self, request, obj):
        if obj.is_deleted:
            return
        try:
            with transaction.atomic():
                accounts.delete_account(user=obj, by=request.user)
        except accounts.AccountDeletionError:
            self.message_user(request, self.refusal(obj) or "", messages.ERROR)
            return


class StagePlanInline(admin.TabularInline):
    model = StagePlan
    extra = 0
    fields = ["stage", "planned_start", "planned_end"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Jury)
class JuryAdmin(ReadOnlyAdmin):
    """Staff create a jury here (recorded); after that it is changed only on its own pages,
    which keep the stage rules (the question is fixed once deliberation starts) and record every
    change. Staff who must change one add themselves as a facilitator (which is recorded too)."""

    list_display = [
        "title",
        "slug",
        "stage",
        "visibility",
        "commissioning_organisation",
        "oversight_body",
    ]
    list_filter = ["stage", "visibility", "oversight_body"]
    search_fields = ["title", "slug", "remit", "commissioning_organisation"]
    prepopulated_fields = {"slug": ["title"]}
    where_to_change = _(
        "Facilitators change the details, timeline and stage on the jury's own pages, where each "
        "change is recorded in its audit log."
    )

    def has_add_permission(self, request, obj=None):
        return admin.ModelAdmin.has_add_permission(self, request)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else super().get_readonly_fields(request, obj)

    def get_fields(self, request, obj=None):
        fields = admin.ModelAdmin.get_fields(self, request, obj)
        if obj is None:
            return [f for f in fields if f not in ("stage", "where_to_edit")]
        return super().get_fields(request, obj)

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if obj is None else {}

    def get_inlines(self, request, obj):
        return [StagePlanInline, MembershipInline] if obj is not None else []

    def product_url(self, obj):
        return reverse("juries:dashboard", args=[obj.slug])

    def save_model(self, request, obj, form, change):
        members.create_jury(jury=obj, by=request.user)


@admin.register(OversightBody)
class OversightBodyAdmin(AuditedAdmin):
    """Oversight bodies have no page of their own: edits here are recorded."""

    list_display = ["name", "public_contact"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        # Juries name their oversight body (PROTECT); an unused one may go.
        return super().has_delete_permission(request, obj) and not (obj and obj.juries.exists())


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "jury", "role"]

    def clean_role(self):
        role = self.cleaned_data["role"]
        refusal = members.last_facilitator_refusal(self.instance, role)
        if refusal:
            raise forms.ValidationError(refusal)
        return role


@admin.register(Membership)
class MembershipAdmin(DeleteThroughServiceMixin, admin.ModelAdmin):
    """Adding, changing a role and removing go through juries.members, as on the pages: each is
    recorded in the jury's audit log and the member's open pages follow at once. Only the role
    changes here: the person and the jury are fixed, and whether a name is shown is the person's
    own choice."""

    form = MembershipAdminForm
    list_display = ["user", "jury", "role", "show_name_publicly", "joined_at"]
    list_filter = ["role", "jury"]
    search_fields = ["user__email", "user__display_name", "jury__title"]
    autocomplete_fields = ["user", "jury"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "jury", "role"]
        return ["user", "jury", "role", "show_name_publicly", "joined_at"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a membership to another person or jury would leave the first one's open pages
        # with the old role: remove it and add a new one instead.
        return ["user", "jury", "show_name_publicly", "joined_at"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            members.change_role(membership=obj, role=form.cleaned_data["role"], by=request.user)
            return
        created = members.add_member(jury=obj.jury, user=obj.user, role=obj.role, by=request.user)
        obj.pk, obj.joined_at = created.pk, created.joined_at

    def refusal(self, obj):
        return members.last_facilitator_refusal(obj)

    def delete_through_service(self, request, obj):
        try:
            members.remove_member(membership=obj, by=request.user)
        except members.MembershipError as error:
            self.message_user(request, str(error), messages.ERROR)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Invitations are sent, resent and withdrawn on the jury's dashboard, which records each
    one; an invitation edited here could make someone a facilitator unrecorded. Its link (the
    token) is a secret and is not shown."""

    list_display = [
        "email",
        "jury",
        "role",
        "state_label",
        "created_at",
        "expires_at",
        "times_sent",
    ]
    list_filter = ["role", "jury"]
    search_fields = ["email", "jury__title"]
    exclude = ["token"]
    where_to_change = _(
        "Facilitators send, resend and withdraw invitations on the jury's dashboard, where each "
        "one is recorded."
    )

    @admin.display(description=_("state"))
    def state_label(self, obj):
        return obj.state.label

    def product_url(self, obj):
        return reverse("juries:dashboard", args=[obj.jury.slug])


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Sitting)
class SittingAdmin(ReadOnlyAdmin):
    """Sittings are scheduled, changed and cancelled on the jury's pages, which record the change,
    tell the members and update their open pages; read-only here."""

    list_display = ["title", "jury", "starts_at", "ends_at", "cancelled_at"]
    list_filter = ["jury"]
    search_fields = ["title", "jury__title"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline]

    def get_queryset(self, request):
        # Cancelled sittings are kept on record: staff see them too, marked with the date.
        return Sitting.with_cancelled.select_related("jury")

    where_to_change = _(
        "Facilitators change and cancel sittings on the jury's pages, where each change is "
        "recorded and the members are told."
    )

    def product_url(self, obj):
        return reverse("juries:sitting-detail", args=[obj.jury.slug, obj.pk])


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["jury", "from_stage", "to_stage", "changed_by", "changed_at"]
    list_filter = ["jury", "to_stage"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The stage history is part of the jury's record.
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log is append-only: readable here, never edited or deleted."""

    list_display = ["at", "jury", "actor", "action", "summary"]
    list_filter = ["action", "jury"]
    search_fields = ["summary", "target_label"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FormSubmission)
class FormSubmissionAdmin(admin.ModelAdmin):
    """One-time form keys (see juries.idempotency); for looking into a reported double action."""

    list_display = ["created_at", "user", "redirect_to"]
    search_fields = ["user__email", "key"]
    readonly_fields = ["user", "key", "redirect_to", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
