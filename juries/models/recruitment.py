"""Recruitment for the lottery: the jury's questions and quotas, and the volunteers.

A volunteer's contact details (`Volunteer`) and their answers to the demographic questions
(`Answer`) live in separate tables: the draw, the public page and observers only ever read the
answers, under the volunteer's pseudonym; only the jury's facilitators read contact details.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..text_limits import SHORT
from .juries import Jury

PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_pseudonym():
    return "V-" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(8))


def default_retention_days():
    return settings.SELECTION_RETENTION_DAYS


def new_volunteer_token():
    return secrets.token_urlsafe(32)


class RecruitmentState(models.TextChoices):
    NOT_OPEN = "not_open", _("Not open yet")
    OPEN = "open", _("Open: people can register their interest")
    CLOSED = "closed", _("Closed")


class RecruitmentQuerySet(models.QuerySet):
    def of(self, jury):
        """The jury's recruitment settings, read without creating a row (a GET changes nothing);
        the defaults when none is saved yet."""
        return self.filter(jury=jury).first() or Recruitment(jury=jury)


class Recruitment(models.Model):
    """How one jury recruits volunteers: whether the form is open, the panel size, eligibility."""

    jury = models.OneToOneField(Jury, related_name="recruitment", on_delete=models.CASCADE)
    state = models.CharField(
        _("recruitment"),
        max_length=20,
        choices=RecruitmentState.choices,
        default=RecruitmentState.NOT_OPEN,
    )
    panel_size = models.PositiveSmallIntegerField(
        _("number of jurors to select"),
        default=24,
        help_text=_("Most citizens' juries have between 12 and 30 members."),
    )
    eligibility = models.TextField(
        _("who can take part"),
        blank=True,
        max_length=SHORT,
        help_text=_(
            "One statement per line, for example “I live in the borough” or “I am 16 or older”. "
            "Each volunteer confirms every statement."
        ),
    )
    retention_days = models.PositiveSmallIntegerField(
        _("days to keep the details of people not selected"),
        default=default_retention_days,
        help_text=_("Counted from the day the jury's report is published."),
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = RecruitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("recruitment")

    def __str__(self):
        return f"{self.jury}: {self.get_state_display()}"

    @property
    def is_open(self):
        return self.state == RecruitmentState.OPEN

    @property
    def is_closed(self):
        return self.state == RecruitmentState.CLOSED

    def statements(self):
        return [line.strip() for line in self.eligibility.splitlines() if line.strip()]


class Category(models.Model):
    """A demographic question the jury stratifies by, such as age band or area."""

    jury = models.ForeignKey(Jury, related_name="selection_categories", on_delete=models.CASCADE)
    name = models.CharField(_("category"), max_length=80)
    question = models.CharField(
        _("question for volunteers"),
        max_length=200,
        help_text=_("As volunteers see it, for example “How old are you?”"),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["jury", "name"], name="one_category_per_name")
        ]

    def __str__(self):
        return self.name


class CategoryValue(models.Model):
    """One answer to a category's question, with its share of the population and its quota."""

    category = models.ForeignKey(Category, related_name="values", on_delete=models.CASCADE)
    label = models.CharField(_("answer"), max_length=100)
    population_share = models.DecimalField(
        _("share of the population (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    minimum = models.PositiveSmallIntegerField(_("at least"), default=0)
    maximum = models.PositiveSmallIntegerField(_("at most"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("answer")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "label"], name="one_value_per_label"),
            models.CheckConstraint(
                condition=models.Q(maximum__isnull=True)
                | models.Q(maximum__gte=models.F("minimum")),
                name="quota_maximum_at_least_minimum",
            ),
        ]

    def __str__(self):
        return f"{self.category.name}: {self.label}"


class VolunteerSource(models.TextChoices):
    FORM = "form", _("Registered online")
    IMPORT = "import", _("Imported by a facilitator")


class VolunteerQuerySet(models.QuerySet):
    def in_pool(self):
        """Confirmed and not withdrawn: the people a draw chooses from."""
        return self.filter(confirmed_at__isnull=False, withdrawn_at__isnull=True)

    def unconfirmed(self):
        return self.filter(confirmed_at__isnull=True, withdrawn_at__isnull=True)

    def counts(self):
        """How many registered, are in the pool, have not confirmed, and withdrew: one query."""
        return self.aggregate(
            total=models.Count("id"),
            in_pool=models.Count(
                "id", filter=models.Q(confirmed_at__isnull=False, withdrawn_at__isnull=True)
            ),
            unconfirmed=models.Count(
                "id", filter=models.Q(confirmed_at__isnull=True, withdrawn_at__isnull=True)
            ),
            withdrawn=models.Count("id", filter=models.Q(withdrawn_at__isnull=False)),
        )


class Volunteer(models.Model):
    """A person who registered interest in one jury: their contact details, for facilitators only."""

    jury = models.ForeignKey(Jury, related_name="volunteers", on_delete=models.CASCADE)
    pseudonym = models.CharField(max_length=12, default=new_pseudonym, editable=False)
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email address"))
    access_needs = models.TextField(_("access needs"), blank=True, max_length=SHORT)
    token = models.CharField(
        max_length=64, unique=True, default=new_volunteer_token, editable=False
    )
    source = models.CharField(max_length=10, choices=VolunteerSource.choices)
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrew"), null=True, blank=True)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer")
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["jury", "pseudonym"], name="one_pseudonym_per_jury"),
            models.UniqueConstraint(
                fields=["jury", "email"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_registration_per_address",
            ),
        ]

    def __str__(self):
        # Never the name or address: this text can reach the audit log, which observers read.
        return self.pseudonym

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def in_pool(self):
        return self.confirmed_at is not None and self.withdrawn_at is None

    @property
    def is_imported(self):
        return self.source == VolunteerSource.IMPORT

    def confirm_url(self):
        return reverse("juries:volunteer-confirm", args=[self.token])

    def withdraw_url(self):
        return reverse("juries:volunteer-withdraw", args=[self.token])


class Answer(models.Model):
    """A volunteer's answer to one category: the only volunteer data a draw reads."""

    volunteer = models.ForeignKey(Volunteer, related_name="answers", on_delete=models.CASCADE)
    category = models.ForeignKey(Category, related_name="answers", on_delete=models.CASCADE)
    value = models.ForeignKey(CategoryValue, related_name="answers", on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("answer")
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "category"], name="one_answer_per_category"
            )
        ]

    def __str__(self):
        return f"{self.volunteer.pseudonym}: {self.value}"
