from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormSubmission(models.Model):
    """A form's one-time key, claimed when it is first submitted (see juries.idempotency)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    redirect_to = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_submission_per_form_key")
        ]

    def __str__(self):
        return self.key
