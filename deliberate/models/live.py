from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from juries import statuses
from juries.models import AgendaItem, Sitting


class RoomState(models.TextChoices):
    WAITING = "waiting", _("Not started")
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class SittingRoom(models.Model):
    """The live state of a sitting: where the agenda is, its clock, who has the floor."""

    sitting = models.OneToOneField(Sitting, related_name="room", on_delete=models.CASCADE)
    state = models.CharField(
        _("state"), max_length=20, choices=RoomState.choices, default=RoomState.WAITING
    )
    current_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # While running, the clock runs down to `item_ends_at`; while paused, `seconds_left` holds it.
    item_ends_at = models.DateTimeField(null=True, blank=True)
    seconds_left = models.PositiveIntegerField(null=True, blank=True)
    speaker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    turn_ends_at = models.DateTimeField(null=True, blank=True)
    turn_minutes = models.PositiveSmallIntegerField(_("minutes per turn"), default=3)
    in_groups = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("live room")

    def __str__(self):
        return f"{self.sitting}: {self.get_state_display()}"

    @property
    def is_running(self):
        return self.state == RoomState.RUNNING

    @property
    def is_paused(self):
        return self.state == RoomState.PAUSED

    @property
    def is_ended(self):
        return self.state == RoomState.ENDED


statuses.register(
    SittingRoom,
    "state",
    {
        RoomState.WAITING: statuses.PENDING,
        RoomState.RUNNING: statuses.ACTIVE,
        RoomState.PAUSED: statuses.PENDING,
        RoomState.ENDED: statuses.INACTIVE,
    },
)


class SmallGroup(models.Model):
    room = models.ForeignKey(SittingRoom, related_name="groups", on_delete=models.CASCADE)
    number = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Groups are kept after everyone returns to the plenary, so their notes stay findable.
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return _("Group %(number)s") % {"number": self.number}


class SmallGroupMember(models.Model):
    group = models.ForeignKey(SmallGroup, related_name="members", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_place_per_group")
        ]

    def __str__(self):
        return f"{self.user_id} in group {self.group_id}"


class HandRaise(models.Model):
    room = models.ForeignKey(SittingRoom, related_name="hands", on_delete=models.CASCADE)
    group = models.ForeignKey(
        SmallGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="hands"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    raised_at = models.DateTimeField(auto_now_add=True)
    lowered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        constraints = [
            # A double-click or two open tabs never puts someone in the queue twice.
            models.UniqueConstraint(
                fields=["room", "user"],
                condition=models.Q(lowered_at__isnull=True),
                name="one_raised_hand_per_person",
            )
        ]

    def __str__(self):
        return f"hand of {self.user_id}"


class Turn(models.Model):
    """Someone had the floor: turns and time spoken make up the participation balance."""

    room = models.ForeignKey(SittingRoom, related_name="turns", on_delete=models.CASCADE)
    group = models.ForeignKey(
        SmallGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="turns"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self):
        return f"turn of {self.user_id}"

    @property
    def seconds(self):
        if self.ended_at is None:
            return 0
        return int((self.ended_at - self.started_at).total_seconds())


class QuickPoll(models.Model):
    """A temperature check during a sitting. Results are shown once the facilitator closes it."""

    room = models.ForeignKey(SittingRoom, related_name="polls", on_delete=models.CASCADE)
    question = models.CharField(_("question"), max_length=200)
    options = models.JSONField(default=list)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self):
        return self.question


class PollAnswer(models.Model):
    poll = models.ForeignKey(QuickPoll, related_name="answers", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    option = models.PositiveSmallIntegerField()
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="one_answer_per_person")
        ]

    def __str__(self):
        return f"{self.user_id}: {self.option}"


class Presence(models.Model):
    """A connection to a sitting's room. Kept after it closes (`left_at`), as the record of who
    attended."""

    room = models.ForeignKey(SittingRoom, related_name="presence", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    channel = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user_id} in {self.room_id}"
