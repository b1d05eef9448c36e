from django.contrib import admin

from .models import System


@admin.register(System)
class SystemAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "status", "phase", "updated_at"]
    list_filter = ["status", "phase", "organisation_type", "function", "ai_act_classification"]
    search_fields = ["name", "purpose", "organisation", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["juries"]
    readonly_fields = ["source_format", "source_document", "created_at", "updated_at"]
