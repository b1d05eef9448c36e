"""The draw: computing the LEXIMIN distribution, publishing it, the seed, the panel and reserves.

A draw's public record is its commitment (the pseudonymised pool, the quotas and the
distribution, see `juries.selection.bundle`), published with its SHA-256 before any seed exists,
and then the seed, from a public source, and the panel and reserves that follow from both.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from juries.selection.bundle import seed_event_date

from .. import statuses
from .invitations import Invitation
from .juries import Jury
from .recruitment import Volunteer


def default_time_cap():
    return settings.SELECTION_TIME_CAP_SECONDS


class DrawState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Computing the fairest lottery")
    FAILED = "failed", _("Could not be computed")
    CANCELLED = "cancelled", _("Cancelled")
    COMPUTED = "computed", _("Computed, not yet published")
    PUBLISHED = "published", _("Published, waiting for the seed")
    DRAWN = "drawn", _("Drawn")


# A jury has at most one draw in any of these states at a time.
LIVE_STATES = [
    DrawState.QUEUED,
    DrawState.RUNNING,
    DrawState.COMPUTED,
    DrawState.PUBLISHED,
    DrawState.DRAWN,
]


class DrawQuerySet(models.QuerySet):
    def live(self):
        return self.filter(state__in=LIVE_STATES)

    def public(self):
        return self.filter(state__in=[DrawState.PUBLISHED, DrawState.DRAWN])


class Draw(models.Model):
    jury = models.ForeignKey(Jury, related_name="draws", on_delete=models.CASCADE)
    state = models.CharField(max_length=20, choices=DrawState.choices, default=DrawState.QUEUED)
    panel_size = models.PositiveSmallIntegerField()
    volunteer_count = models.PositiveIntegerField(default=0)
    profile_count = models.PositiveIntegerField(default=0)
    time_cap_seconds = models.PositiveIntegerField(default=default_time_cap)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Progress, written by the worker after each level so the page can show it.
    levels_fixed = models.PositiveIntegerField(default=0)
    elapsed_seconds = models.FloatField(default=0)
    complete = models.BooleanField(default=False)
    cancel_requested = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    lowest_probability = models.FloatField(null=True, blank=True)
    mean_probability = models.FloatField(null=True, blank=True)
    # The inputs the worker reads (pseudonymised) and the commitment it writes.
    inputs = models.JSONField(default=dict, editable=False)
    commitment = models.JSONField(null=True, blank=True, editable=False)
    commitment_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    seed = models.CharField(max_length=200, blank=True)
    seed_source = models.CharField(max_length=300, blank=True)
    seed_entered_at = models.DateTimeField(null=True, blank=True)
    seed_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.JSONField(null=True, blank=True, editable=False)
    invitations_sent_at = models.DateTimeField(null=True, blank=True)

    objects = DrawQuerySet.as_manager()

    class Meta:
        verbose_name = _("draw")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["jury"],
                condition=models.Q(state__in=LIVE_STATES),
                name="one_live_draw_per_jury",
            )
        ]

    def __str__(self):
        return f"{_('Draw')} {self.pk} ({self.get_state_display()})"

    @property
    def is_public(self):
        return self.state in (DrawState.PUBLISHED, DrawState.DRAWN)

    @property
    def is_working(self):
        return self.state in (DrawState.QUEUED, DrawState.RUNNING)

    @property
    def is_queued(self):
        return self.state == DrawState.QUEUED

    @property
    def is_failed(self):
        return self.state == DrawState.FAILED

    @property
    def is_cancelled(self):
        return self.state == DrawState.CANCELLED

    @property
    def is_computed(self):
        """Computed, its distribution not yet published."""
        return self.state == DrawState.COMPUTED

    @property
    def awaits_seed(self):
        """The distribution is published; the draw waits for the public seed."""
        return self.state == DrawState.PUBLISHED

    @property
    def is_drawn(self):
        return self.state == DrawState.DRAWN

    @property
    def seed_event_date(self):
        """The day of the seed event declared with the published lottery, or None."""
        return seed_event_date(self.commitment) if self.commitment else None


statuses.register(
    Draw,
    "state",
    {
        DrawState.QUEUED: statuses.PENDING,
        DrawState.RUNNING: statuses.ACTIVE,
        DrawState.FAILED: statuses.PROBLEM,
        DrawState.CANCELLED: statuses.INACTIVE,
        DrawState.COMPUTED: statuses.PENDING,
        DrawState.PUBLISHED: statuses.PENDING,
        DrawState.DRAWN: statuses.DONE,
    },
)


class PlaceKind(models.TextChoices):
    PANEL = "panel", _("Selected")
    RESERVE = "reserve", _("Reserve")


class PlaceState(models.TextChoices):
    WAITING = "waiting", _("Not invited yet")
    INVITED = "invited", _("Invited")
    JOINED = "joined", _("Joined the jury")
    LEFT = "left", _("Declined or dropped out")
    UNAVAILABLE = "unavailable", _("Withdrew before being invited")


class Place(models.Model):
    """A volunteer's place from a draw: on the panel, or at a position on the reserve list."""

    draw = models.ForeignKey(Draw, related_name="places", on_delete=models.CASCADE)
    # Emptied when the volunteer's details are deleted; the pseudonym stays for the record.
    volunteer = models.ForeignKey(
        Volunteer, null=True, blank=True, related_name="places", on_delete=models.SET_NULL
    )
    pseudonym = models.CharField(max_length=12)
    kind = models.CharField(max_length=10, choices=PlaceKind.choices)
    position = models.PositiveIntegerField()
    state = models.CharField(max_length=20, choices=PlaceState.choices, default=PlaceState.WAITING)
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    # Set on a reserve brought onto the panel: whose place it took.
    replaces = models.OneToOneField(
        "self", null=True, blank=True, related_name="replaced_by", on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("place")
        ordering = ["kind", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "pseudonym"], name="one_place_per_volunteer"),
            models.UniqueConstraint(
                fields=["draw", "kind", "position"], name="one_volunteer_per_position"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.position}: {self.pseudonym}"

    @property
    def on_panel(self):
        return self.kind == PlaceKind.PANEL or self.replaces_id is not None


class Replacement(models.Model):
    """A facilitator replaced someone who declined or dropped out with the next fitting reserve."""

    draw = models.ForeignKey(Draw, related_name="replacements", on_delete=models.CASCADE)
    leaving = models.ForeignKey(Place, related_name="+", on_delete=models.CASCADE)
    joining = models.ForeignKey(Place, related_name="+", on_delete=models.CASCADE)
    reason = models.CharField(_("reason"), max_length=300)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("replacement")
        ordering = ["made_at", "id"]

    def __str__(self):
        return f"{self.leaving.pseudonym} → {self.joining.pseudonym}"
