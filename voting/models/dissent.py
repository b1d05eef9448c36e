"""Statements of dissent and jurors' sign-off of the final text."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from juries.models import Jury
from juries.text_limits import LONG, SHORT

from .drafting import Recommendation


class Dissent(models.Model):
    """A statement of dissent by one or more jurors, about one recommendation or (when
    `recommendation` is empty) the report as a whole. Its words never change once written.
    Facilitators cannot edit or remove it; they can only hide it for a stated legal reason,
    which is recorded and shown in its place."""

    jury = models.ForeignKey(Jury, related_name="dissents", on_delete=models.CASCADE)
    recommendation = models.ForeignKey(
        Recommendation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dissents",
        verbose_name=_("about"),
    )
    text = models.TextField(_("statement of dissent"), max_length=LONG)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(_("legal reason for hiding it"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("statement of dissent")
        verbose_name_plural = _("statements of dissent")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:80]

    @property
    def is_hidden(self):
        return self.hidden_at is not None


class DissentSigner(models.Model):
    """A juror who put their name to a statement of dissent."""

    dissent = models.ForeignKey(Dissent, related_name="signers", on_delete=models.CASCADE)
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dissent", "juror"], name="sign_dissent_once"),
        ]

    def __str__(self):
        return str(_("A name on a statement of dissent"))


class SignOffChoice(models.TextChoices):
    CONFIRM = "confirm", _("I confirm this is the jury's final text")
    OBJECT = "object", _("I object to this text")


class SignOff(models.Model):
    """A juror's confirmation of, or objection to, the final text before publication."""

    jury = models.ForeignKey(Jury, related_name="sign_offs", on_delete=models.CASCADE)
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=10, choices=SignOffChoice.choices)
    note = models.TextField(_("anything you want to add (optional)"), blank=True, max_length=SHORT)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["jury", "juror"], name="sign_off_once"),
        ]

    def __str__(self):
        return self.get_choice_display()
