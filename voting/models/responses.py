"""The oversight body's answer to each recommendation, and its progress afterwards."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from juries import statuses
from juries.models import Jury
from juries.text_limits import LONG

from .drafting import Recommendation


class ResponseStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    ACCEPTED_IN_PART = "accepted_in_part", _("Accepted in part")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    UNDER_CONSIDERATION = "under_consideration", _("Under consideration")

    @classmethod
    def undecided(cls):
        """Answers that still leave the recommendation waiting for a decision."""
        return (cls.UNDER_CONSIDERATION,)


class Response(models.Model):
    """The oversight body's answer to one recommendation. It can be revised: `version` counts the
    wordings (1 for the first answer) and each is kept as a ResponseRevision; progress updates
    are added below it."""

    recommendation = models.OneToOneField(
        Recommendation, related_name="response", on_delete=models.PROTECT
    )
    status = models.CharField(_("answer"), max_length=20, choices=ResponseStatus.choices)
    reasons = models.TextField(_("reasons"), max_length=LONG)
    planned_action = models.TextField(_("what will be done"), blank=True, max_length=LONG)
    owner = models.CharField(_("who is responsible"), max_length=200, blank=True)
    due_by = models.DateField(_("by when"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    # Which wording this is; a revision names the one it started from, so two members revising
    # at once cannot silently overwrite each other (voting.responses.record_response).
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("response")
        ordering = ["recommendation__number"]

    def __str__(self):
        return self.get_status_display()


statuses.register(
    Response,
    "status",
    {
        ResponseStatus.ACCEPTED: statuses.DONE,
        ResponseStatus.ACCEPTED_IN_PART: statuses.PENDING,
        ResponseStatus.NOT_ACCEPTED: statuses.PROBLEM,
        ResponseStatus.UNDER_CONSIDERATION: statuses.PENDING,
    },
)


class ResponseRevision(models.Model):
    """One wording of an answer, as published: the first answer is version 1 and each revision
    adds the next. Written in the transaction that publishes it and never changed afterwards."""

    response = models.ForeignKey(Response, related_name="revisions", on_delete=models.CASCADE)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("answer"), max_length=20, choices=ResponseStatus.choices)
    reasons = models.TextField(_("reasons"), max_length=LONG)
    planned_action = models.TextField(_("what will be done"), blank=True, max_length=LONG)
    owner = models.CharField(_("who is responsible"), max_length=200, blank=True)
    due_by = models.DateField(_("by when"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        verbose_name = _("wording of a response")
        ordering = ["response", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "version"], name="one_wording_per_response_version"
            ),
        ]

    def __str__(self):
        return _("Version %(version)s: %(status)s") % {
            "version": self.version,
            "status": self.get_status_display(),
        }


class ProgressUpdate(models.Model):
    response = models.ForeignKey(Response, related_name="updates", on_delete=models.CASCADE)
    status = models.CharField(_("answer now"), max_length=20, choices=ResponseStatus.choices)
    note = models.TextField(_("what has happened"), max_length=LONG)
    percent_done = models.PositiveSmallIntegerField(
        _("how much is done (%)"), validators=[MaxValueValidator(100)]
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return self.note[:80]


class ReminderSent(models.Model):
    """A deadline reminder that has been queued, so each is queued exactly once."""

    class Kind(models.TextChoices):
        WEEK_BEFORE = "week_before", _("A week before the deadline")
        DAY_BEFORE = "day_before", _("The day before the deadline")
        OVERDUE = "overdue", _("The deadline has passed")

    jury = models.ForeignKey(Jury, related_name="+", on_delete=models.CASCADE)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["jury", "kind"], name="remind_once"),
        ]

    def __str__(self):
        return self.get_kind_display()
