"""What each member chooses to be emailed about a jury, the notifications shown on "What's new",
and the record that a reminder was queued (so it is queued once)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .juries import EmailChoice, Jury

__all__ = ["EmailChoice", "Notification", "ReminderQueued"]


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One piece of news for one person, shown on their "What's new" page until read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="notifications", on_delete=models.CASCADE
    )
    jury = models.ForeignKey(Jury, related_name="notifications", on_delete=models.CASCADE)
    kind = models.CharField(max_length=40)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    needs_action = models.BooleanField(default=False)
    # True when it waits for the person's daily summary rather than being emailed at once.
    for_summary = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self):
        return f"{self.user_id}: {self.kind} {self.target_id}"

    def described(self):
        """Its line and link (see juries.notifications.describe), or None if its object is gone."""
        from ..notifications import describe

        return describe(self)


class ReminderQueued(models.Model):
    """A reminder queued for one person about one thing: its unique constraint, written in the
    transaction that queues the email, is what makes each reminder go exactly once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    kind = models.CharField(max_length=40)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "target_type", "target_id"], name="reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.user_id}: {self.kind} {self.target_id}"
