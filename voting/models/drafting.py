"""Recommendations as the jury drafts them: themes, revisions, citations and amendments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from juries import statuses
from juries.models import Jury
from juries.text_limits import LONG, SHORT

from ..tally import Outcome


class Theme(models.Model):
    """A heading that groups recommendations; each theme has its own discussion thread."""

    jury = models.ForeignKey(Jury, related_name="themes", on_delete=models.CASCADE)
    title = models.CharField(_("theme"), max_length=200)
    description = models.TextField(_("what it covers"), blank=True, max_length=SHORT)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("theme")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["jury", "title"], name="one_theme_per_title"),
        ]

    def __str__(self):
        return self.title


class RecommendationState(models.TextChoices):
    ACTIVE = "active", _("Being drafted")
    MERGED = "merged", _("Merged into another recommendation")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def adopted_q(through=""):
    """The one definition of "adopted" as a query condition: adopted in the jury's final vote
    (the result that counts, `current`, from a round that was not indicative), and not merged or
    withdrawn since. `through` reaches the recommendation from another model
    (`"recommendations__"` from a Jury); the `adopted()` QuerySet method and the `is_adopted`
    property say the same thing."""
    return Q(
        **{
            f"{through}state": RecommendationState.ACTIVE,
            f"{through}results__current": True,
            f"{through}results__outcome": Outcome.ADOPTED,
            f"{through}results__vote__indicative": False,
        }
    )


def voted_q(through=""):
    """Recommendations with a result that counts (from the latest round they were voted in)."""
    return Q(**{f"{through}results__current": True})


def answered_q(through=""):
    """The one definition of "answered" as a query condition: adopted (`adopted_q()`) and given
    an answer by the oversight body, whatever the answer says ("under consideration" is an answer
    too, shown as such). `through` as for `adopted_q()`. The accountability page, the oversight
    body's list and the register all count with it, so they cannot disagree."""
    return adopted_q(through) & Q(**{f"{through}response__isnull": False})


class RecommendationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state=RecommendationState.ACTIVE)

    def adopted(self):
        """Recommendations the jury adopted in its closed vote (`adopted_q()`)."""
        return self.filter(adopted_q())

    def answered(self):
        """Adopted recommendations the oversight body has answered (`answered_q()`)."""
        return self.filter(answered_q())

    def with_result(self):
        """Fetch the result that counts (`Recommendation.result`) with them, in one query."""
        from .decisions import VoteResult  # noqa: PLC0415 (decisions imports this module)

        return self.prefetch_related(
            models.Prefetch(
                "results",
                queryset=VoteResult.objects.filter(current=True).select_related("vote"),
                to_attr="current_results",
            )
        )


class Recommendation(models.Model):
    """One recommendation. Its current wording is kept here; every wording, the first included,
    is also kept as a Revision with its author."""

    jury = models.ForeignKey(Jury, related_name="recommendations", on_delete=models.CASCADE)
    number = models.PositiveIntegerField(_("number"))
    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
        verbose_name=_("theme"),
    )
    statement = models.TextField(
        _("recommendation"),
        max_length=SHORT,
        help_text=_("What should happen, in one or two sentences. Start with a verb."),
    )
    rationale = models.TextField(
        _("why"),
        max_length=LONG,
        help_text=_("The reasons, and what in the evidence led you here."),
    )
    addressed_to = models.CharField(
        _("who should act"),
        max_length=200,
        help_text=_("The organisation or people the recommendation asks to act."),
    )
    state = models.CharField(
        max_length=10, choices=RecommendationState.choices, default=RecommendationState.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["jury", "number"], name="recommendation_number"),
        ]

    def __str__(self):
        return _("Recommendation %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("voting:recommendation", args=[self.jury.slug, self.number])

    @property
    def is_active(self):
        return self.state == RecommendationState.ACTIVE

    @property
    def result(self):
        """The result that counts: the VoteResult from the latest closed round this
        recommendation was voted in, or None. Earlier rounds' results are in `results`. Use
        `Recommendation.objects.with_result()` when reading it for many."""
        if hasattr(self, "current_results"):
            return self.current_results[0] if self.current_results else None
        return self.results.filter(current=True).select_related("vote").first()

    @property
    def is_adopted(self):
        """Adopted in the jury's final vote, and not merged or withdrawn since (`adopted_q()`).
        Reads `result`: fetch them `with_result()` when checking many."""
        result = self.result
        return (
            self.is_active
            and result is not None
            and result.is_adopted
            and not result.vote.indicative
        )


statuses.register(
    Recommendation,
    "state",
    {
        RecommendationState.ACTIVE: statuses.ACTIVE,
        RecommendationState.MERGED: statuses.INACTIVE,
        RecommendationState.WITHDRAWN: statuses.INACTIVE,
    },
)


class Revision(models.Model):
    """One wording of a recommendation, with who wrote it and what they changed."""

    recommendation = models.ForeignKey(
        Recommendation, related_name="revisions", on_delete=models.CASCADE
    )
    number = models.PositiveIntegerField()
    statement = models.TextField(max_length=SHORT)
    rationale = models.TextField(max_length=LONG)
    addressed_to = models.CharField(max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("what you changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "number"], name="revision_number_per_recommendation"
            ),
        ]

    def __str__(self):
        return _("Version %(number)s") % {"number": self.number}


class Citation(models.Model):
    """Something in the evidence a recommendation rests on: an evidence item, a witness's answer
    or a post. Exactly one of the three is set."""

    recommendation = models.ForeignKey(
        Recommendation, related_name="citations", on_delete=models.CASCADE
    )
    item = models.ForeignKey(
        "evidence.EvidenceItem", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(
        "evidence.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        "deliberate.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(item__isnull=False, question__isnull=True, post__isnull=True)
                    | Q(item__isnull=True, question__isnull=False, post__isnull=True)
                    | Q(item__isnull=True, question__isnull=True, post__isnull=False)
                ),
                name="citation_cites_one_thing",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "item"],
                name="cite_item_once",
                condition=Q(item__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["recommendation", "question"],
                name="cite_question_once",
                condition=Q(question__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["recommendation", "post"],
                name="cite_post_once",
                condition=Q(post__isnull=False),
            ),
        ]

    def __str__(self):
        return str(self.target)

    @property
    def target(self):
        return self.item or self.question or self.post


class AmendmentState(models.TextChoices):
    OPEN = "open", _("Waiting for a decision")
    VOTING = "voting", _("Jurors are voting on it")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")

    @classmethod
    def undecided(cls):
        """States of an amendment still waiting for a decision: open, or being voted on."""
        return (cls.OPEN, cls.VOTING)


class Amendment(models.Model):
    """A juror's proposed new wording. Facilitators accept it when the jury agrees, or put it to a
    quick vote of the jurors (accepted if more jurors say yes than no)."""

    recommendation = models.ForeignKey(
        Recommendation, related_name="amendments", on_delete=models.CASCADE
    )
    statement = models.TextField(_("recommendation"), max_length=SHORT)
    rationale = models.TextField(_("why"), max_length=LONG)
    addressed_to = models.CharField(_("who should act"), max_length=200)
    reason = models.CharField(_("why you propose this change"), max_length=500)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The wording it amends: an amendment to an older wording is shown against that wording.
    based_on = models.ForeignKey(Revision, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(
        max_length=10, choices=AmendmentState.choices, default=AmendmentState.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.reason[:80]

    @property
    def is_undecided(self):
        return self.state in AmendmentState.undecided()

    @property
    def is_open(self):
        return self.state == AmendmentState.OPEN

    @property
    def is_being_voted_on(self):
        return self.state == AmendmentState.VOTING


statuses.register(
    Amendment,
    "state",
    {
        AmendmentState.OPEN: statuses.PENDING,
        AmendmentState.VOTING: statuses.ACTIVE,
        AmendmentState.ACCEPTED: statuses.DONE,
        AmendmentState.REJECTED: statuses.PROBLEM,
    },
)


class AmendmentVote(models.Model):
    """A juror's yes or no in a quick vote on an amendment. One per juror, enforced here."""

    amendment = models.ForeignKey(Amendment, related_name="votes", on_delete=models.CASCADE)
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agree = models.BooleanField()
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["amendment", "juror"], name="one_amendment_vote"),
        ]

    def __str__(self):
        return str(_("A vote on an amendment"))
