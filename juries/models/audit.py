from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .juries import Jury


class AuditEntry(models.Model):
    """A privileged action: who did what, when, to which object. Never edited or deleted."""

    # PROTECT: a jury with a history cannot be deleted, so its audit log cannot be lost with it.
    jury = models.ForeignKey(
        Jury, related_name="audit_entries", null=True, blank=True, on_delete=models.PROTECT
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=60)
    summary = models.CharField(_("what happened"), max_length=500)
    target_type = models.CharField(_("object type"), max_length=60, blank=True)
    target_id = models.CharField(_("object id"), max_length=60, blank=True)
    target_label = models.CharField(_("object"), max_length=200, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
