"""Questionnaires about the jury's own process, and their anonymous answers.

Answers are anonymous in the database itself, as ballots are in voting:

- `Response` holds one person's answers to one questionnaire and nothing that leads back to them:
  no user, no membership, no time at all, and a random UUID as its key (no counter that could be
  lined up with the order people answered in).
- `Answered` records that a person has answered a questionnaire, with no answers and no time. It
  is what "you have answered" and the count of answers rest on, and its unique constraint makes a
  person answer once.
- Each time someone answers, the questionnaire's responses are written again in an order of their
  content (`services.answer`), so even the table's physical order (SQLite's rowid, PostgreSQL's
  row positions) says nothing about who answered when. Both records are written in one
  transaction.

Results are only ever counts per question (`results.py`), shown once the questionnaire has closed
with at least five answers; the change of opinion compares the distribution before with the distribution after,
never one person's two answers (they cannot be paired).
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from juries.models import Jury, Sitting

from . import questions

MINIMUM_ANSWERS = 5


class Kind(models.TextChoices):
    START = "start", _("Start of the jury")
    SITTING = "sitting", _("After a sitting")
    END = "end", _("End of the jury")
    ORGANISER = "organiser", _("Organisers")


class State(models.TextChoices):
    NOT_OPEN = "not_open", _("Not open yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class EvaluationSettings(models.Model):
    """A jury's choices about its evaluation."""

    jury = models.OneToOneField(Jury, related_name="evaluation_settings", on_delete=models.CASCADE)
    after_sittings = models.BooleanField(
        _("ask jurors a few questions after each sitting"), default=False
    )
    # When `after_sittings` was turned on (empty while it is off): only sittings that end after
    # this moment get a questionnaire, never every sitting the jury has had so far.
    after_sittings_since = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self):
        return str(_("Evaluation settings"))


class TopicStatement(models.Model):
    """A statement about the jury's subject, written by the facilitators, asked at the start and
    at the end to show how opinion moved."""

    jury = models.ForeignKey(Jury, related_name="topic_statements", on_delete=models.CASCADE)
    text = models.CharField(_("statement"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text

    @property
    def key(self):
        return f"topic-{self.pk}"


class Questionnaire(models.Model):
    jury = models.ForeignKey(Jury, related_name="questionnaires", on_delete=models.CASCADE)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sitting = models.ForeignKey(
        Sitting, null=True, blank=True, related_name="questionnaires", on_delete=models.CASCADE
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.NOT_OPEN)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["jury", "kind"],
                condition=~models.Q(kind="sitting"),
                name="one_questionnaire_per_kind",
            ),
            models.UniqueConstraint(fields=["sitting"], name="one_questionnaire_per_sitting"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("evaluation:answer", args=[self.jury.slug, self.pk])

    @property
    def title(self):
        if self.kind == Kind.START:
            return str(_("Start of the jury questionnaire"))
        if self.kind == Kind.END:
            return str(_("End of the jury questionnaire"))
        if self.kind == Kind.ORGANISER:
            return str(_("Organisers' questionnaire"))
        return str(_("After the sitting “%(title)s”") % {"title": self.sitting.title})

    @property
    def is_open(self):
        return self.state == State.OPEN

    @property
    def for_organisers(self):
        return self.kind == Kind.ORGANISER

    def fixed_questions(self):
        return {
            Kind.START: questions.START,
            Kind.END: questions.END,
            Kind.SITTING: questions.SITTING,
            Kind.ORGANISER: questions.ORGANISER,
        }[Kind(self.kind)]

    @property
    def asks_topics(self):
        return self.kind in (Kind.START, Kind.END)


class Response(models.Model):
    """One person's answers, with nothing that leads back to them: see the module docstring.
    `answers` maps a question's key to a value of `questions.SCALE` (and, for organisers,
    "comment" to their words)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire, related_name="responses", on_delete=models.CASCADE
    )
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return str(_("Anonymous answers"))

    def __repr__(self):
        return f"<Response {self.pk}>"


class Answered(models.Model):
    """That a person has answered a questionnaire, with no answers and no time in it."""

    questionnaire = models.ForeignKey(
        Questionnaire, related_name="answered", on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "user"], name="answer_once"),
        ]

    def __str__(self):
        return str(_("Answered a questionnaire"))

    def __repr__(self):
        return f"<Answered {self.pk}>"
