"""Witnesses and the questions jurors put to them, and jurors' requests for more evidence."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from juries import statuses
from juries.models import Jury
from juries.text_limits import DOCUMENT, LONG, SHORT

from .packs import EvidenceItem, Standpoint


class Witness(models.Model):
    """Someone who gives evidence to the jury, with their interests declared."""

    jury = models.ForeignKey(Jury, related_name="witnesses", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="witness_profiles",
        help_text=_("Their account, if they sign in to answer questions themselves."),
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(
        _("who they are"), max_length=300, help_text=_("Job, organisation or experience.")
    )
    standpoint = models.CharField(_("standpoint"), max_length=20, choices=Standpoint.choices)
    who_pays = models.TextField(
        _("who pays them"),
        blank=True,
        max_length=SHORT,
        help_text=_("Employer, funders, and any fee for this jury."),
    )
    public_statements = models.TextField(
        _("what they have said publicly about the system"), blank=True, max_length=LONG
    )
    other_interests = models.TextField(_("other interests"), blank=True, max_length=SHORT)
    statement = models.TextField(
        _("statement"), blank=True, max_length=DOCUMENT, help_text=_("Markdown.")
    )

    class Meta:
        verbose_name = _("witness")
        verbose_name_plural = _("witnesses")
        ordering = ["name"]

    def __str__(self):
        return self.name


class QuestionState(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    MERGED = "merged", _("Merged with a similar question")


class Question(models.Model):
    jury = models.ForeignKey(Jury, related_name="questions", on_delete=models.CASCADE)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    witness = models.ForeignKey(
        Witness,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        verbose_name=_("to"),
        help_text=_("Leave empty to ask whoever can answer."),
    )
    item = models.ForeignKey(
        EvidenceItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        verbose_name=_("about the evidence item"),
    )
    text = models.TextField(_("your question"), max_length=SHORT)
    state = models.CharField(
        max_length=10, choices=QuestionState.choices, default=QuestionState.OPEN
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    answer = models.TextField(_("answer"), blank=True, max_length=LONG)
    # The day the witness is asked to answer by, set when the question is put to them.
    answer_by = models.DateField(_("answer by"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("question")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("evidence:question", args=[self.jury.slug, self.pk])

    @property
    def is_open(self):
        return self.state == QuestionState.OPEN

    @property
    def is_answered(self):
        return self.state == QuestionState.ANSWERED

    @property
    def is_merged(self):
        return self.state == QuestionState.MERGED


statuses.register(
    Question,
    "state",
    {
        QuestionState.OPEN: statuses.PENDING,
        QuestionState.ANSWERED: statuses.DONE,
        QuestionState.MERGED: statuses.INACTIVE,
    },
)


class AnswerWording(models.Model):
    """One wording of a witness's answer, as published: the first answer is version 1 and each
    change adds the next. Written in the transaction that publishes it and never changed
    afterwards, so what jurors read (and cited) stays on record."""

    question = models.ForeignKey(Question, related_name="wordings", on_delete=models.CASCADE)
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("answer"), max_length=LONG)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("published"))

    class Meta:
        verbose_name = _("wording of an answer")
        ordering = ["question", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "version"], name="one_wording_per_answer_version"
            ),
        ]

    def __str__(self):
        return _("Version %(version)s") % {"version": self.version}


class Support(models.Model):
    """A juror supports another's question: "I want to know this too"."""

    question = models.ForeignKey(Question, related_name="supports", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="one_support_per_person")
        ]

    def __str__(self):
        return f"{self.user_id} supports {self.question_id}"


class RequestState(models.TextChoices):
    OPEN = "open", _("Waiting for the facilitators")
    AGREED = "agreed", _("Agreed")
    DECLINED = "declined", _("Not possible")


class EvidenceRequest(models.Model):
    """A juror asks for further evidence, or a further witness they would trust."""

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", _("More evidence")
        WITNESS = "witness", _("Another witness")

    jury = models.ForeignKey(Jury, related_name="evidence_requests", on_delete=models.CASCADE)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("what you would like"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("tell us more"), max_length=SHORT)
    state = models.CharField(max_length=10, choices=RequestState.choices, default=RequestState.OPEN)
    response = models.TextField(_("response"), blank=True, max_length=LONG)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence request")
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:80]

    @property
    def is_open(self):
        return self.state == RequestState.OPEN


statuses.register(
    EvidenceRequest,
    "state",
    {
        RequestState.OPEN: statuses.PENDING,
        RequestState.AGREED: statuses.DONE,
        RequestState.DECLINED: statuses.PROBLEM,
    },
)
