from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..text_limits import SHORT
from .juries import Jury


class SittingQuerySet(models.QuerySet):
    def upcoming(self, now):
        return self.filter(ends_at__gte=now).order_by("starts_at")


class ScheduledSittings(models.Manager.from_queryset(SittingQuerySet)):
    """Sittings that have not been cancelled: what calendars, reminders, rooms and pages use."""

    def get_queryset(self):
        return super().get_queryset().filter(cancelled_at__isnull=True)


class Sitting(models.Model):
    """A scheduled live meeting of a jury.

    A sitting cancelled before it took place is kept, marked with `cancelled_at`, so the jury's
    record says it was planned and called off. `Sitting.objects` (the default manager, and so
    `jury.sittings`) leaves cancelled sittings out; `Sitting.with_cancelled` includes them.
    """

    jury = models.ForeignKey(Jury, related_name="sittings", on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what it is for"), blank=True, max_length=SHORT)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    video_url = models.URLField(
        _("video meeting link"),
        blank=True,
        help_text=_("Optional. A link to the external video meeting (for example Zoom or Teams)."),
    )

    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScheduledSittings()
    with_cancelled = SittingQuerySet.as_manager()

    class Meta:
        verbose_name = _("sitting")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="sitting_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("juries:sitting-detail", args=[self.jury.slug, self.pk])

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None


class AgendaItem(models.Model):
    sitting = models.ForeignKey(Sitting, related_name="agenda_items", on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("item"), max_length=200)
    planned_minutes = models.PositiveSmallIntegerField(_("planned minutes"), default=15)

    class Meta:
        verbose_name = _("agenda item")
        ordering = ["position", "id"]

    def __str__(self):
        return self.title
