"""Staff see recommendations, reports and answers here, read-only: every change goes through the
jury's own pages, so it is audited, published to the jury and kept in each object's history.

Ballots are deliberately not registered: nobody, staff included, reads who voted how."""

from django.contrib import admin

from .models import Dissent, Recommendation, Report, ReportFile, Response, Revision, Vote


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0
    can_delete = False
    fields = ["number", "statement", "author", "note", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["number", "jury", "statement", "state", "updated_at"]
    list_filter = ["state", "jury"]
    search_fields = ["statement", "rationale"]
    inlines = [RevisionInline]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = [
        "jury",
        "round",
        "indicative",
        "state",
        "threshold_percent",
        "quorum_percent",
        "opened_at",
        "closed_at",
    ]
    list_filter = ["state", "indicative"]
    exclude = ["ranking_result"]


@admin.register(Dissent)
class DissentAdmin(ReadOnlyAdmin):
    list_display = ["jury", "recommendation", "created_at", "hidden_at"]
    list_filter = ["jury"]


class ReportFileInline(admin.TabularInline):
    model = ReportFile
    extra = 0
    can_delete = False
    fields = ["format", "state", "sha256", "made_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """A published report is a fact: the admin shows it and can change nothing."""

    list_display = ["jury", "version", "published_at", "sha256"]
    list_filter = ["jury"]
    readonly_fields = ["jury", "version", "sha256", "reason", "published_at", "published_by"]
    exclude = ["content"]
    inlines = [ReportFileInline]


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["recommendation", "status", "answered_at", "updated_at"]
    list_filter = ["status"]
