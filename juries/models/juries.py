from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import statuses
from ..text_limits import LONG, SHORT
from .bodies import OversightBody


class Stage(models.TextChoices):
    """The stages every jury runs through, in order."""

    SETUP = "setup", _("Set-up")
    SELECTION = "selection", _("Selection")
    LEARNING = "learning", _("Learning")
    DELIBERATION = "deliberation", _("Deliberation")
    DRAFTING = "drafting", _("Drafting")
    DECISION = "decision", _("Decision")
    REPORT = "report", _("Report")
    RESPONSE = "response", _("Response")

    @classmethod
    def ordered(cls):
        return list(cls)

    @property
    def position(self):
        return list(Stage).index(self)

    @property
    def next(self):
        stages = list(Stage)
        return stages[self.position + 1] if self.position + 1 < len(stages) else None

    @property
    def previous(self):
        return list(Stage)[self.position - 1] if self.position > 0 else None


STAGE_DESCRIPTIONS = {
    Stage.SETUP: _(
        "The facilitators prepare the jury: its question, its timeline and who will take part."
    ),
    Stage.SELECTION: _("Members of the jury are chosen by lottery from people who volunteered."),
    Stage.LEARNING: _("Jurors read the evidence and put questions to witnesses."),
    Stage.DELIBERATION: _(
        "Jurors discuss what they have learned, in their own time and at sittings."
    ),
    Stage.DRAFTING: _("Jurors write their recommendations together."),
    Stage.DECISION: _("Jurors vote on each recommendation in a secret ballot."),
    Stage.REPORT: _("The jury's report is checked by every juror and published."),
    Stage.RESPONSE: _("The oversight body answers each recommendation in public."),
}


class Role(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    JUROR = "juror", _("Juror")
    WITNESS = "witness", _("Witness")
    OBSERVER = "observer", _("Observer")
    OVERSIGHT = "oversight", _("Oversight member")
    # Reads the jury and its evaluation's results, and downloads the anonymous answers.
    EVALUATOR = "evaluator", _("Evaluator")


class Visibility(models.TextChoices):
    HIDDEN = "hidden", _("Not public: only members can see this jury")
    PUBLIC = "public", _("Public: anyone can see the jury's page and timeline")


class JuryQuerySet(models.QuerySet):
    def public(self):
        return self.filter(visibility=Visibility.PUBLIC)

    def of_member(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def with_juror_count(self):
        """Each jury annotated with `juror_count`, its number of jurors (as `jurors()` counts)."""
        return self.annotate(
            juror_count=Count("memberships", filter=Q(memberships__role=Role.JUROR))
        )

    def with_recruitment(self):
        """Each jury annotated with `recruiting` (its volunteer form is open, as
        `Recruitment.is_open` says) and `panel_size` (how many jurors its lottery will choose;
        None until its recruitment is set up)."""
        from .recruitment import Recruitment, RecruitmentState  # recruitment builds on Jury

        theirs = Recruitment.objects.filter(jury=OuterRef("pk"))
        return self.annotate(
            recruiting=Exists(theirs.filter(state=RecruitmentState.OPEN)),
            panel_size=Subquery(theirs.values("panel_size")[:1]),
        )


class MembershipQuerySet(models.QuerySet):
    """Who is in a jury, in the words the process uses. Start from the jury
    (`jury.memberships.jurors()`) or filter by jury first."""

    def jurors(self):
        """The jurors: only they read, discuss, draft and vote as the jury. Every juror
        membership counts, a deleted account's included (it still speaks as "Former juror")."""
        return self.filter(role=Role.JUROR)

    def facilitators(self):
        return self.filter(role=Role.FACILITATOR)

    def reachable(self):
        """Members we may still write to: their account is active and not deleted."""
        return self.filter(user__is_active=True, user__deleted_at__isnull=True)


class Jury(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name for web addresses"), max_length=80, unique=True)
    remit = models.TextField(
        _("remit"),
        max_length=LONG,
        help_text=_("The question the jury must answer, as the commission puts it."),
    )
    remit_summary = models.TextField(
        _("remit in plain language"),
        max_length=SHORT,
        help_text=_("The same question in words anyone can follow."),
    )
    commissioning_organisation = models.CharField(_("commissioning organisation"), max_length=200)
    oversight_body = models.ForeignKey(
        OversightBody,
        verbose_name=_("oversight body"),
        related_name="juries",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    visibility = models.CharField(
        _("what the public may see"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.HIDDEN,
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.SETUP)
    help_contact = models.CharField(
        _("how jurors get help"),
        max_length=300,
        blank=True,
        help_text=_("A phone number or email address for the facilitators, shown to every member."),
    )
    response_weeks = models.PositiveSmallIntegerField(
        _("weeks the oversight body has to answer"),
        default=8,
        help_text=_("Counted from the day the report is published. Usually eight weeks."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The number of the jury's latest event (see JuryEvent); pages start listening from here.
    last_event_seq = models.PositiveBigIntegerField(default=0, editable=False)

    objects = JuryQuerySet.as_manager()

    class Meta:
        verbose_name = _("jury")
        verbose_name_plural = _("juries")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Only juries.events moves the event counter (with an UPDATE … + 1 under the row lock). A
        # form or the admin saving an instance loaded earlier must not write an old number back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "last_event_seq"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("juries:public", args=[self.slug])

    @property
    def current_stage(self):
        return Stage(self.stage)

    @property
    def is_public(self):
        return self.visibility == Visibility.PUBLIC

    @property
    def is_in_decision(self):
        return self.stage == Stage.DECISION

    @property
    def is_in_response(self):
        return self.stage == Stage.RESPONSE


# The stage a jury is in, as a status tag: being set up, then running until it ends in Response.
statuses.register(
    Jury,
    "stage",
    {
        Stage.SETUP: statuses.INACTIVE,
        Stage.SELECTION: statuses.ACTIVE,
        Stage.LEARNING: statuses.ACTIVE,
        Stage.DELIBERATION: statuses.ACTIVE,
        Stage.DRAFTING: statuses.ACTIVE,
        Stage.DECISION: statuses.ACTIVE,
        Stage.REPORT: statuses.ACTIVE,
        Stage.RESPONSE: statuses.ACTIVE,
    },
)


class StagePlan(models.Model):
    """The planned dates of one stage of a jury's timeline."""

    jury = models.ForeignKey(Jury, related_name="stage_plans", on_delete=models.CASCADE)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)

    class Meta:
        verbose_name = _("stage plan")
        constraints = [
            models.UniqueConstraint(fields=["jury", "stage"], name="one_plan_per_stage"),
            models.CheckConstraint(
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_start__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="stage_plan_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.jury}: {self.get_stage_display()}"


class StageChange(models.Model):
    """A facilitator moved the jury from one stage to another."""

    jury = models.ForeignKey(Jury, related_name="stage_changes", on_delete=models.CASCADE)
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("when"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("stage change")
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.jury}: {self.from_stage} → {self.to_stage}"


class EmailChoice(models.TextChoices):
    """How much of a jury's news a member is emailed (see juries/notifications.py)."""

    EVERYTHING = "everything", _("Everything: an email for each piece of news")
    SUMMARY = "summary", _("A daily summary: one email a day with what is new")
    NEEDED = "needed", _("Only what needs me: emails about things I must do")


class Membership(models.Model):
    """One person's single role in one jury."""

    jury = models.ForeignKey(Jury, related_name="memberships", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="memberships", on_delete=models.CASCADE
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    show_name_publicly = models.BooleanField(
        _("show my display name on the public page"),
        default=False,
        help_text=_("If you leave this off, the public only sees how many jurors there are."),
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    emails = models.CharField(
        _("email me"), max_length=12, choices=EmailChoice.choices, default=EmailChoice.EVERYTHING
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        ordering = ["role", "user__display_name"]
        constraints = [
            models.UniqueConstraint(fields=["jury", "user"], name="one_role_per_person_per_jury")
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.jury}"

    @property
    def audit_label(self):
        """How the audit log names it: never the person's name, which the log keeps for good."""
        return f"{_('Membership')} {self.pk} ({self.get_role_display()})"
