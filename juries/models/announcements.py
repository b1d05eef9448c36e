from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..text_limits import LONG
from .juries import Jury


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Every member of the jury")
    JURORS = "jurors", _("Jurors only")


class Announcement(models.Model):
    """A message from the facilitators to the jury's members (or its jurors), in plain text."""

    jury = models.ForeignKey(Jury, related_name="announcements", on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=LONG)
    audience = models.CharField(
        _("who it is for"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("announcement")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("juries:announcement-list", args=[self.jury.slug]) + f"#a{self.pk}"


class AnnouncementRead(models.Model):
    """That one person has marked an announcement read."""

    announcement = models.ForeignKey(Announcement, related_name="reads", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="announcement_read_once")
        ]

    def __str__(self):
        return f"{self.announcement_id} read by {self.user_id}"
