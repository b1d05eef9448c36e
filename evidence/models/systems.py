"""The public register of systems under review, in the structure of the UK Algorithmic
Transparency Recording Standard (ATRS v3.0; see ../shared/atrs-fields.md) plus what a jury needs
beyond it: a required purpose statement, the status as the jury sees it, and the EU AI Act details.

Repeatable ATRS parts (third parties, models, datasets, impact assessments, risks) are kept as JSON
lists of objects with fixed keys; evidence/atrs.py reads and writes them.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from juries import statuses
from juries.models import Jury
from juries.text_limits import IMPORTED_RECORD, LONG


class SystemStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PILOTED = "piloted", _("Piloted")
    IN_USE = "in_use", _("In use")
    PAUSED = "paused", _("Paused")
    RETIRED = "retired", _("Retired")


class OrganisationType(models.TextChoices):
    MINISTERIAL = "ministerial_department", _("Ministerial department")
    NON_MINISTERIAL = "non_ministerial_department", _("Non-ministerial department")
    AGENCY = "agency_or_public_body", _("Agency or other public body")
    LOCAL = "local_authority", _("Local authority")
    DEVOLVED = "devolved_administration", _("Devolved administration")
    HIGH_PROFILE = "high_profile_group", _("High-profile group")
    CORPORATION = "public_corporation", _("Public corporation")


class Function(models.TextChoices):
    GENERAL = "general_public_services", _("General public services")
    DEFENCE = "defence", _("Defence")
    ORDER = "public_order_and_safety", _("Public order and safety")
    ECONOMIC = "economic_affairs", _("Economic affairs")
    ENVIRONMENT = "environmental_protection", _("Environmental protection")
    HOUSING = "housing_and_community_amenities", _("Housing and community amenities")
    HEALTH = "health", _("Health")
    CULTURE = "recreation_culture_and_religion", _("Recreation, culture and religion")
    EDUCATION = "education", _("Education")
    SOCIAL = "social_protection", _("Social protection")
    REGULATION = "regulation", _("Regulation")


class Capability(models.TextChoices):
    VISION = "computer_vision", _("Computer vision")
    AUDITION = "computer_audition", _("Computer audition")
    LINGUISTICS = "computer_linguistics", _("Computer linguistics")
    ROBOTICS = "robotics", _("Robotics")
    FORECASTING = "forecasting", _("Forecasting")
    DISCOVERY = "discovery", _("Discovery")
    PLANNING = "planning", _("Planning")
    CREATION = "creation", _("Creation")
    ANALYSIS = "analysis", _("Analysis")
    MANAGEMENT = "management", _("Management")
    OTHER = "other", _("Other")


class Phase(models.TextChoices):
    PRE_DEPLOYMENT = "pre_deployment", _("Pre-deployment")
    PILOT = "beta_pilot", _("Beta or pilot")
    PRODUCTION = "production", _("Production")
    RETIRED = "retired", _("Retired")


class AIActClass(models.TextChoices):
    PROHIBITED = "prohibited", _("Prohibited")
    HIGH_RISK = "high_risk", _("High-risk")
    EXEMPTED = "exempted_6_3", _("Exempted under Article 6(3)")
    LIMITED = "limited", _("Limited risk")
    MINIMAL = "minimal", _("Minimal risk")


class SystemQuerySet(models.QuerySet):
    def search(self, text):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text)
            | Q(purpose__icontains=text)
            | Q(description__icontains=text)
            | Q(organisation__icontains=text)
        )


def _text(label, max_length=LONG, **kwargs):
    return models.TextField(label, blank=True, max_length=max_length, **kwargs)


class System(models.Model):
    """One digital system used or proposed by a public body."""

    slug = models.SlugField(_("short name for web addresses"), max_length=80, unique=True)
    purpose = models.TextField(
        _("purpose statement"),
        max_length=LONG,
        help_text=_(
            "Why the public body uses or wants this system, in plain English. Shown first."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SystemStatus.choices, default=SystemStatus.PROPOSED
    )
    juries = models.ManyToManyField(
        Jury, related_name="systems_under_review", blank=True, verbose_name=_("juries")
    )

    # Metadata (ATRS finder facets)
    organisation = models.CharField(_("organisation"), max_length=200)
    organisation_type = models.CharField(
        _("organisation type"), max_length=40, choices=OrganisationType.choices, blank=True
    )
    function = models.CharField(_("function"), max_length=40, choices=Function.choices, blank=True)
    capability = models.CharField(
        _("capability"), max_length=40, choices=Capability.choices, blank=True
    )
    task = models.CharField(_("task"), max_length=300, blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, blank=True)
    regions = models.CharField(_("regions"), max_length=300, blank=True)
    date_published = models.DateField(_("date published"), null=True, blank=True)
    atrs_version = models.CharField(_("ATRS version"), max_length=20, blank=True)

    # Tier 1: overview for the public
    name = models.CharField(_("name"), max_length=200)
    description = _text(_("description"))
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)

    # Tier 2.1: owner and responsibility
    owner_organisation = models.CharField(
        _("owning organisation or department"), max_length=200, blank=True
    )
    team = models.CharField(_("team"), max_length=200, blank=True)
    senior_responsible_owner = models.CharField(
        _("senior responsible owner (role)"), max_length=200, blank=True
    )
    third_parties = models.JSONField(_("third parties (suppliers)"), default=list, blank=True)

    # Tier 2.2: description and rationale
    detailed_description = _text(_("detailed description"))
    scope = _text(_("scope"))
    benefit = _text(_("benefit"))
    previous_process = _text(_("previous process"))
    alternatives_considered = _text(_("alternatives considered"))

    # Tier 2.3: decision-making process
    process_integration = _text(_("how it fits into the decision"))
    provided_information = _text(_("information given to the decision-maker"))
    frequency_and_scale = _text(_("frequency and scale of use"))
    human_decisions = _text(_("human decisions and review"))
    required_training = _text(_("training required"))
    appeals_and_review = _text(_("appeals and review"))

    # Tier 2.4: tool specification
    system_architecture = _text(_("system architecture"))
    maintenance = _text(_("maintenance"))
    models_used = models.JSONField(_("models"), default=list, blank=True)
    datasets = models.JSONField(_("datasets"), default=list, blank=True)

    # Tier 2.5: risks, mitigations and impact assessments
    impact_assessments = models.JSONField(_("impact assessments"), default=list, blank=True)
    risks = models.JSONField(_("risks and mitigations"), default=list, blank=True)

    # Beyond ATRS: EU AI Act (Annex VIII, section C) for public-authority deployers
    ai_act_classification = models.CharField(
        _("EU AI Act classification"), max_length=20, choices=AIActClass.choices, blank=True
    )
    ai_act_annex_point = models.CharField(_("Annex III point"), max_length=40, blank=True)
    eu_database_url = models.URLField(_("EU database entry"), blank=True)
    fria_summary = _text(_("fundamental rights impact assessment (summary)"))
    dpia_summary = _text(_("data protection impact assessment (summary)"))

    # The document an entry was imported from, kept as it came.
    source_format = models.CharField(_("imported from"), max_length=10, blank=True)
    source_document = _text(_("imported document"), max_length=IMPORTED_RECORD)

    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SystemQuerySet.as_manager()

    class Meta:
        verbose_name = _("system under review")
        verbose_name_plural = _("register of systems")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("evidence:system", args=[self.slug])


statuses.register(
    System,
    "status",
    {
        SystemStatus.PROPOSED: statuses.INACTIVE,
        SystemStatus.PILOTED: statuses.ACTIVE,
        SystemStatus.IN_USE: statuses.ACTIVE,
        SystemStatus.PAUSED: statuses.PENDING,
        SystemStatus.RETIRED: statuses.INACTIVE,
    },
)


# What a version keeps: every field of the entry, not its links to juries (the jury's own pages
# change those) nor the times Django keeps.
VERSIONED_FIELDS = tuple(
    model_field.name
    for model_field in System._meta.concrete_fields
    if model_field.name not in {"id", "created_at", "updated_at"}
)


class SystemVersion(models.Model):
    """A register entry as it was before one change, kept whole so the change can be seen and
    undone by hand. Never changed; removed only with the system."""

    system = models.ForeignKey(System, related_name="versions", on_delete=models.CASCADE)
    # The earlier values, field name to value as JSON (dates as YYYY-MM-DD).
    fields = models.JSONField(_("earlier values"), encoder=DjangoJSONEncoder)
    # The names of the fields the change altered, in the model's order.
    changed = models.JSONField(_("what changed"), default=list)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("earlier version of a register entry")
        verbose_name_plural = _("earlier versions of register entries")
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.system_id} @ {self.changed_at:%Y-%m-%d %H:%M}"

    def changed_labels(self):
        """The changed fields as the register names them (“purpose statement”)."""
        return [
            System._meta.get_field(name).verbose_name
            for name in self.changed
            if name in VERSIONED_FIELDS
        ]

    def earlier_values(self):
        """(label, earlier value as text) for each changed field of the record, for the public
        history. The imported document itself is left out: it can be a megabyte, and the fields
        read from it are shown."""
        shown = []
        for name in self.changed:
            if name not in VERSIONED_FIELDS or name in _NOT_SHOWN_IN_HISTORY:
                continue
            model_field = System._meta.get_field(name)
            shown.append((model_field.verbose_name, _as_text(model_field, self.fields.get(name))))
        return shown


_NOT_SHOWN_IN_HISTORY = {"source_document", "source_format"}


def _as_text(model_field, value):
    if isinstance(value, list):
        names = [str(item.get("name", "")) for item in value if isinstance(item, dict)]
        return "; ".join(name for name in names if name)
    if model_field.choices:
        return str(dict(model_field.choices).get(value, value or ""))
    return "" if value is None else str(value)
