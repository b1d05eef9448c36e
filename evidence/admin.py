from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from juries.admin.base import AuditedAdmin, ReadOnlyAdmin

from . import register
from .models import (
    EvidenceItem,
    EvidenceItemVersion,
    EvidencePack,
    EvidenceRequest,
    GlossaryTerm,
    Question,
    System,
    SystemVersion,
    Witness,
)


class SystemVersionInline(admin.TabularInline):
    model = SystemVersion
    extra = 0
    can_delete = False
    fields = ["changed_at", "changed_by", "changed"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(System)
class SystemAdmin(admin.ModelAdmin):
    """Staff edits go through the same service as the register's pages: the earlier version is
    kept and the change audited for every jury that reviews the system. Which juries review it is
    changed on the jury's own page, where the link is audited, so it is read-only here."""

    list_display = ["name", "organisation", "status", "phase", "updated_at"]
    list_filter = ["status", "phase", "organisation_type", "function", "ai_act_classification"]
    search_fields = ["name", "purpose", "organisation", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["juries", "source_format", "source_document", "created_at", "updated_at"]
    inlines = [SystemVersionInline]

    def save_model(self, request, obj, form, change):
        register.save_system(obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        # An entry is retired (its status), never deleted: deleting would take its history with it.
        return False


class EvidenceItemInline(admin.TabularInline):
    model = EvidenceItem
    extra = 0
    fields = ["position", "title", "kind", "standpoint", "visibility", "version"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EvidencePack)
class EvidencePackAdmin(ReadOnlyAdmin):
    """Packs are written and published on the jury's evidence pages, which record each change and
    keep every version of an item; deleting one here would take jurors' questions and reading
    with it. Read-only."""

    list_display = ["title", "jury", "position"]
    list_filter = ["jury"]
    inlines = [EvidenceItemInline]
    where_to_change = _("Facilitators change evidence on the jury's evidence pages.")

    def product_url(self, obj):
        return reverse("evidence:pack", args=[obj.jury.slug, obj.pk])


class EvidenceItemVersionInline(admin.TabularInline):
    model = EvidenceItemVersion
    extra = 0
    can_delete = False
    fields = ["version", "title", "change_note", "edited_by", "edited_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(EvidenceItem)
class EvidenceItemAdmin(admin.ModelAdmin):
    """Edits go through the jury's evidence pages, so every version is kept; read-only here."""

    list_display = ["title", "pack", "kind", "standpoint", "visibility", "version", "updated_at"]
    list_filter = ["kind", "standpoint", "visibility", "pack__jury"]
    search_fields = ["title", "summary", "provided_by"]
    inlines = [EvidenceItemVersionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Witness)
class WitnessAdmin(ReadOnlyAdmin):
    """Profiles are written on the jury's witness pages. Here, linking a profile to another
    account would let that person answer questions as the witness, unrecorded: read-only."""

    list_display = ["name", "jury", "standpoint", "user"]
    list_filter = ["jury", "standpoint"]
    search_fields = ["name", "role"]
    where_to_change = _("Facilitators change witness profiles on the jury's witness pages.")

    def product_url(self, obj):
        return reverse("evidence:witness-edit", args=[obj.jury.slug, obj.pk])


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Questions are managed on the jury's pages (assign, merge, answer); readable here."""

    list_display = ["text", "jury", "witness", "state", "created_at"]
    list_filter = ["state", "jury"]
    search_fields = ["text", "answer"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A juror's question is part of the jury's record, like a post.
        return False


@admin.register(EvidenceRequest)
class EvidenceRequestAdmin(admin.ModelAdmin):
    list_display = ["text", "jury", "kind", "state", "created_at"]
    list_filter = ["state", "kind", "jury"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(AuditedAdmin):
    """The glossary has no editing page yet: changes here are recorded in the jury's log."""

    list_display = ["term", "jury"]
    list_filter = ["jury"]
    search_fields = ["term", "definition"]
