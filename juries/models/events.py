from django.db import models
from django.utils.translation import gettext_lazy as _

from .juries import Jury


class JuryEvent(models.Model):
    """Something other members should see, saved in the same transaction as the change itself.

    `seq` increases by one per jury, so a client that was disconnected asks for everything after
    the last number it saw. Only people whom the permissions module allows `requires` (at the
    jury's stage then) receive it. `frames` maps each role to its server-rendered HTML, rendered
    once per event. `data` carries what a live connection needs to know about the change (a new
    stage, someone's new role, small-group places).
    """

    jury = models.ForeignKey(Jury, related_name="events", on_delete=models.CASCADE)
    seq = models.PositiveBigIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=50)
    requires = models.CharField(_("who receives it"), max_length=40)
    # Only members of this small group (and people who may see every group) receive it.
    small_group_id = models.PositiveIntegerField(null=True, blank=True)
    frames = models.JSONField(default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("event")
        ordering = ["jury", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["jury", "seq"], name="one_event_per_jury_seq")
        ]

    def __str__(self):
        return f"{self.jury_id}#{self.seq} {self.kind}"
