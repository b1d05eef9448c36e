"""The task queue in the admin, without what a task was given or gave back.

django_tasks_db's own admin shows every column, including a task's arguments, its return value
and its traceback, which can quote them. Staff see here what they need to notice a stuck or
failing task (its name, state, times and the kind of error), and nothing a task carried.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

# Imported first so that its admin is registered before this one replaces it.
from django_tasks_db import admin as _tasks_admin  # noqa: F401
from django_tasks_db.models import DBTaskResult

SHOWN = [
    "id",
    "task_name",
    "status",
    "queue_name",
    "priority",
    "enqueued_at",
    "started_at",
    "finished_at",
    "error",
]


class TaskResultAdmin(admin.ModelAdmin):
    list_display = ["task_name", "status", "enqueued_at", "finished_at", "error"]
    list_filter = ["status", "queue_name"]
    ordering = ["-enqueued_at"]
    fields = SHOWN
    readonly_fields = SHOWN
    search_fields = []

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("error"))
    def error(self, obj):
        # Only the kind of error: its message and traceback may quote the task's arguments.
        return obj.exception_class_path.rsplit(".", 1)[-1] if obj.exception_class_path else ""


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
