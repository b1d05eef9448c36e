"""What every admin page in Deliberate builds on, so that staff change nothing the product's own
pages would have recorded, published or refused.

Three kinds of model admin:
- ReadOnlyAdmin: the object changes only on the jury's own pages (which audit it, publish its
  events and apply the stage rules); the admin shows it and says where to change it.
- DeleteThroughServiceMixin: deleting calls the product's own service, which may refuse with a
  reason; Django's cascade (which would remove what others wrote) never runs.
- AuditedAdmin: objects that only the admin edits; each change is written to the audit log.
"""

from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from juries import audit


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff can look, never add, change or delete. `product_url(obj)` names the page where the
    object is changed, shown at the top of its admin page."""

    where_to_change = _("This is changed on the jury's own pages, where every change is recorded.")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def product_url(self, obj):
        return None

    @admin.display(description=_("where to change it"))
    def where_to_edit(self, obj):
        url = self.product_url(obj) if obj is not None and obj.pk else None
        if url is None:
            return self.where_to_change
        return format_html('{} <a href="{}">{}</a>', self.where_to_change, url, gettext("Open it"))

    def get_readonly_fields(self, request, obj=None):
        return ["where_to_edit", *super().get_readonly_fields(request, obj)]

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "where_to_edit"]
        return ["where_to_edit", *fields]


class DeleteThroughServiceMixin:
    """Deleting, one object or the selected ones, goes through `delete_through_service`.

    `refusal(obj)` says why an object may not be deleted (or None); Django's confirmation page
    then lists it as protected and offers no button. `describe_deletion(obj)` says what deleting
    does instead of listing a cascade that will not happen.
    """

    def refusal(self, obj):
        return None

    def describe_deletion(self, obj):
        return str(obj)

    def delete_through_service(self, request, obj):
        raise NotImplementedError

    def get_deleted_objects(self, objs, request):
        objs = list(objs)
        protected = [refusal for refusal in map(self.refusal, objs) if refusal]
        described = [self.describe_deletion(obj) for obj in objs]
        counts = {self.model._meta.verbose_name_plural: len(objs)}
        return described, counts, set(), protected

    def delete_model(self, request, obj):
        self.delete_through_service(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_through_service(request, obj)


class AuditedAdmin(admin.ModelAdmin):
    """For objects with no page of their own: every addition, change and deletion made here is
    written to the audit log (of the object's jury, if it has one), with the fields changed."""

    def _record(self, request, obj, action, summary):
        audit.record(
            actor=request.user,
            action=f"{obj._meta.model_name}.admin-{action}",
            jury=getattr(obj, "jury", None),
            target=obj,
            summary=summary,
        )

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            names = ", ".join(str(form.fields[n].label).lower() for n in form.changed_data)
            kind = obj._meta.verbose_name
            if change:
                summary = gettext("In the admin: changed the %(kind)s “%(obj)s” (%(fields)s).")
            else:
                summary = gettext("In the admin: added the %(kind)s “%(obj)s”.")
            summary %= {"kind": kind, "obj": obj, "fields": names}
            self._record(request, obj, "change" if change else "add", summary)

    def delete_model(self, request, obj):
        with transaction.atomic():
            summary = gettext("In the admin: deleted the %(kind)s “%(obj)s”.") % {
                "kind": obj._meta.verbose_name,
                "obj": obj,
            }
            self._record(request, obj, "delete", summary)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
