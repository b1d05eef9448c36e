from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import audit, events, members
from .models import (
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
from .permissions import Action


class MembershipInline(admin.TabularInline):
    """Read-only here: memberships change through the Membership admin, which records it."""

    model = Membership
    extra = 0
    fields = ["user", "jury", "role", "show_name_publicly", "joined_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
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


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "memberships__role"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["date_joined", "last_login", "deleted_at"]
    fieldsets = [
        (None, {"fields": ["email", "display_name", "timezone"]}),
        (
            _("Access"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["date_joined", "last_login", "deleted_at"]}),
    ]
    add_form = PersonCreationForm
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "display_name"]})]
    inlines = [MembershipInline]


class StagePlanInline(admin.TabularInline):
    model = StagePlan
    extra = 0


@admin.register(Jury)
class JuryAdmin(admin.ModelAdmin):
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
    # Stage moves go through the dashboard so each one is recorded.
    readonly_fields = ["stage", "created_at"]
    inlines = [StagePlanInline, MembershipInline]

    def has_delete_permission(self, request, obj=None):
        # A jury's record (its audit log above all) is never deleted.
        return False


@admin.register(OversightBody)
class OversightBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "public_contact"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Changes made here are recorded in the jury's audit log like any other."""

    list_display = ["user", "jury", "role", "show_name_publicly", "joined_at"]
    list_filter = ["role", "jury"]
    search_fields = ["user__email", "user__display_name", "jury__title"]
    autocomplete_fields = ["user", "jury"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a membership to another person or jury would leave the first one's open pages
        # with the old role: remove it and add a new one instead.
        return ["user", "jury"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            action="membership.admin-change" if change else "membership.admin-add",
            jury=obj.jury,
            target=obj,
            summary=gettext("In the admin: %(name)s is now %(role)s.")
            % {"name": obj.user.public_name, "role": obj.get_role_display()},
        )
        # Their open pages receive what the new role allows, from the next event on.
        events.publish(
            obj.jury,
            "member.role",
            requires=Action.VIEW_JURY,
            data={"member": obj.user_id, "role": obj.role},
        )

    def delete_model(self, request, obj):
        members.remove_member(membership=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "jury"):
            members.remove_member(membership=membership, by=request.user)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
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
    readonly_fields = [
        "token",
        "created_at",
        "last_sent_at",
        "times_sent",
        "accepted_at",
        "accepted_by",
    ]
    autocomplete_fields = ["jury", "invited_by"]

    @admin.display(description=_("state"))
    def state_label(self, obj):
        return obj.state.label


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 1


@admin.register(Sitting)
class SittingAdmin(admin.ModelAdmin):
    list_display = ["title", "jury", "starts_at", "ends_at"]
    list_filter = ["jury"]
    search_fields = ["title", "jury__title"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["jury", "from_stage", "to_stage", "changed_by", "changed_at"]
    list_filter = ["jury", "to_stage"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
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


# --- The task queue (issue 12, secrets at rest): shown without any task's arguments ------------
from . import admin_tasks  # noqa: E402, F401
