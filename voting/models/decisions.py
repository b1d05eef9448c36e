"""The vote: rules fixed before it opens, secret ballots, and the results frozen when it closes.

Secrecy: a Ballot row knows its juror only so that the juror can see and change their own
ballot until the vote closes. Nothing outside `voting.decisions` reads `Ballot.juror` for anyone
but the person themself; pages, exports, events and the admin show counts only. When the vote
closes, its ballots are sealed: the juror, the reasons they kept private and the times go, and
the rows are written again in an order of their content, so that neither an id nor a position
says who cast them. Priority ballots are sealed the same way when the ranking closes. Who took
part is kept apart, in `Participation`, with no choice in it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from juries import statuses
from juries.models import Jury
from juries.text_limits import SHORT

from ..tally import Level, Outcome, Rules, count
from .drafting import Recommendation

PERCENT = [MinValueValidator(1), MaxValueValidator(100)]

LEVEL_LABELS = {
    Level.STRONGLY_SUPPORT: _("Strongly support"),
    Level.SUPPORT: _("Support"),
    Level.CAN_LIVE_WITH_IT: _("Can live with it"),
    Level.OPPOSE: _("Oppose"),
    Level.STRONGLY_OPPOSE: _("Strongly oppose"),
    Level.ABSTAIN: _("I abstain"),
}
OUTCOME_LABELS = {
    Outcome.ADOPTED: _("Adopted"),
    Outcome.NOT_ADOPTED: _("Not adopted"),
    Outcome.NO_QUORUM: _("Not decided: too few jurors voted"),
}


class VoteState(models.TextChoices):
    PREPARING = "preparing", _("Rules being set")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Vote(models.Model):
    """A jury's vote on its recommendations. The rules may change only while it is being
    prepared; `voting.decisions` moves it from preparing to open to closed."""

    jury = models.ForeignKey(Jury, related_name="votes", on_delete=models.CASCADE)
    state = models.CharField(max_length=10, choices=VoteState.choices, default=VoteState.PREPARING)
    threshold_percent = models.PositiveSmallIntegerField(
        _("support needed to adopt (%)"),
        default=80,
        validators=PERCENT,
        help_text=_(
            "The share of ballots that must be “strongly support”, “support” or “can live with "
            "it”. Abstentions are not counted in this share."
        ),
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("jurors who must vote (%)"),
        default=75,
        validators=PERCENT,
        help_text=_("If fewer jurors vote on a recommendation, it is not decided."),
    )
    ranking = models.BooleanField(
        _("rank the adopted recommendations by priority afterwards"), default=False
    )
    # Votes are held in rounds, numbered 1, 2, … per jury (0 when made: `save` gives the next
    # number). An indicative round shows where the jury stands; drafting may then reopen
    # (`voting.rounds.reopen_drafting`) and a new round follows. Only a final round decides
    # what is adopted.
    round = models.PositiveSmallIntegerField(_("round"), default=0)
    indicative = models.BooleanField(
        _("indicative vote"),
        default=False,
        help_text=_("A first vote to see where the jury stands; drafting reopens afterwards."),
    )
    # After an indicative round: when drafting reopened, by whom, and for which recommendations
    # (their ids; every active one when `reopened_all`).
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_all = models.BooleanField(default=False)
    reopened = models.JSONField(default=list, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    # When the facilitators plan to close the vote, if they said (jurors are reminded before).
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Jurors at the moment the vote closed: the base of the quorum.
    jurors_at_close = models.PositiveIntegerField(null=True, blank=True)
    ranking_opened_at = models.DateTimeField(null=True, blank=True)
    ranking_closed_at = models.DateTimeField(null=True, blank=True)
    # The Schulze result, frozen when ranking closes: places, pairwise counts, path strengths.
    ranking_result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["jury"],
                condition=~Q(state="closed"),
                name="one_unfinished_vote_per_jury",
            ),
            models.UniqueConstraint(fields=["jury", "round"], name="one_vote_per_round"),
        ]

    def __str__(self):
        return _("Vote of %(jury)s, round %(round)s") % {"jury": self.jury, "round": self.round}

    def save(self, *args, **kwargs):
        if not self.round:
            last = Vote.objects.filter(jury_id=self.jury_id).aggregate(last=models.Max("round"))
            self.round = (last["last"] or 0) + 1
        super().save(*args, **kwargs)

    @property
    def kind_label(self):
        """ "Indicative vote" or "Final vote", for headings."""
        return _("Indicative vote") if self.indicative else _("Final vote")

    @property
    def is_reopened(self):
        """An indicative round after which drafting reopened."""
        return self.reopened_at is not None

    @property
    def is_open(self):
        return self.state == VoteState.OPEN

    @property
    def is_preparing(self):
        """Its rules are still being set; it has not opened."""
        return self.state == VoteState.PREPARING

    @property
    def is_closed(self):
        return self.state == VoteState.CLOSED

    @property
    def ranking_is_open(self):
        return self.ranking_opened_at is not None and self.ranking_closed_at is None


statuses.register(
    Vote,
    "state",
    {
        VoteState.PREPARING: statuses.INACTIVE,
        VoteState.OPEN: statuses.ACTIVE,
        VoteState.CLOSED: statuses.INACTIVE,
    },
)


class Ballot(models.Model):
    """One juror's level of agreement with one recommendation. Secret: see the module docstring.
    Once the vote has closed, `juror`, `cast_at` and `changed_at` are empty and `reason` holds
    only a reason the juror chose to publish."""

    vote = models.ForeignKey(Vote, related_name="ballots", on_delete=models.CASCADE)
    recommendation = models.ForeignKey(
        Recommendation, related_name="ballots", on_delete=models.CASCADE
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    level = models.CharField(max_length=20, choices=list(LEVEL_LABELS.items()))
    reason = models.TextField(_("your reason (optional)"), blank=True, max_length=SHORT)
    publish_reason = models.BooleanField(_("publish my reason without my name"), default=False)
    # Set while the vote is open only (not auto_now: a sealed ballot is written without them).
    cast_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    changed_at = models.DateTimeField(null=True, blank=True, default=timezone.now)

    class Meta:
        constraints = [
            # One ballot per juror per recommendation, whatever the timing of the requests.
            models.UniqueConstraint(
                fields=["vote", "recommendation", "juror"], name="one_ballot_per_juror"
            ),
        ]

    def __repr__(self):
        # Never name the juror, even in logs and tracebacks.
        return f"<Ballot {self.pk}>"

    def __str__(self):
        return _("A ballot")


class VoteResult(models.Model):
    """The count for one recommendation in one round, made once when that round closes.

    A recommendation has a result per round it was voted in. The one that counts
    (`Recommendation.result`) is `current`: from the latest round that closed, which
    `voting.decisions.close_vote` moves the flag to."""

    vote = models.ForeignKey(Vote, related_name="results", on_delete=models.CASCADE)
    recommendation = models.ForeignKey(
        Recommendation, related_name="results", on_delete=models.CASCADE
    )
    current = models.BooleanField(default=True)
    counts = models.JSONField()  # {level: number of ballots}, every level present
    jurors = models.PositiveIntegerField()
    outcome = models.CharField(max_length=12, choices=list(OUTCOME_LABELS.items()))
    # Reasons jurors chose to publish, without names, in alphabetical order (not ballot order).
    reasons = models.JSONField(default=list)

    class Meta:
        ordering = ["recommendation__number"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "recommendation"], name="one_result_per_round"),
            models.UniqueConstraint(
                fields=["recommendation"], condition=Q(current=True), name="one_current_result"
            ),
        ]

    def __str__(self):
        return _("Result of recommendation %(number)s") % {"number": self.recommendation.number}

    def tally(self, rules=None):
        """The `voting.tally.Result` these counts stand for: ballots, sides, shares, turnout.
        The outcome follows `rules` (the vote's own, for a fresh decision); every page and
        export reads the numbers from here rather than adding up the levels again."""
        levels = [level for level, number in self.counts.items() for _copy in range(number)]
        return count(levels, jurors=self.jurors, rules=rules or Rules())

    @property
    def is_adopted(self):
        return self.outcome == Outcome.ADOPTED

    @property
    def fell_short(self):
        """Decided, and not adopted: the share accepting fell short of the threshold."""
        return self.outcome == Outcome.NOT_ADOPTED


class PriorityBallot(models.Model):
    """One juror's order of priority for the adopted recommendations (most important first).
    Recommendations left out are ranked below all those listed. Sealed when the ranking closes:
    `juror` and `changed_at` are emptied, see the module docstring."""

    vote = models.ForeignKey(Vote, related_name="priority_ballots", on_delete=models.CASCADE)
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Recommendation ids, most important first, as `voting.ranking.schulze` takes them.
    order = models.JSONField()
    changed_at = models.DateTimeField(null=True, blank=True, default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "juror"], name="one_priority_ballot"),
        ]

    def __str__(self):
        return str(_("A priority ranking"))

    def __repr__(self):
        return f"<PriorityBallot {self.pk}>"


class Part(models.TextChoices):
    VOTE = "vote", _("voted")
    RANKING = "ranking", _("ranked the adopted recommendations")


class Participation(models.Model):
    """That a juror took part in a vote (or in its priority ranking), with no choice in it: what
    turnout counts and what "you voted" rests on once the ballots are sealed. It holds no time
    either, and ballots are sealed in an order of their content, so nothing joins a row here
    to a ballot."""

    vote = models.ForeignKey(Vote, related_name="participations", on_delete=models.CASCADE)
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    part = models.CharField(max_length=10, choices=Part.choices, default=Part.VOTE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "juror", "part"], name="one_participation_per_part"
            ),
        ]

    def __str__(self):
        return str(_("Took part in a vote"))

    def __repr__(self):
        return f"<Participation {self.pk}>"
