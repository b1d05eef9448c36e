"""Evidence packs: ordered items, each saying who provided it and from what standpoint. Every
edit is kept as a version; each juror's reading is recorded against the version they read."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from juries.models import Jury
from juries.text_limits import DOCUMENT, LONG, SHORT


class Standpoint(models.TextChoices):
    COMMISSIONING = "commissioning", _("Commissioning body")
    OPERATOR = "operator", _("Operator or supplier")
    EXPERT = "expert", _("Independent expert")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    LIVED_EXPERIENCE = "lived_experience", _("People with lived experience")
    LEGAL = "legal", _("Legal")


class ItemKind(models.TextChoices):
    TEXT = "text", _("Text")
    DOCUMENT = "document", _("Document (PDF or image)")
    MEDIA = "media", _("Audio or video")
    LINK = "link", _("Link")


class ItemVisibility(models.TextChoices):
    MEMBERS = "members", _("Jury members only")
    PUBLIC = "public", _("Public")


class EvidencePackQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class EvidencePack(models.Model):
    """A pack is a draft until a facilitator publishes it, after checking its balance."""

    jury = models.ForeignKey(Jury, related_name="evidence_packs", on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True, max_length=LONG)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = EvidencePackQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence pack")
        ordering = ["position", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("evidence:pack", args=[self.jury.slug, self.pk])


class EvidenceItem(models.Model):
    pack = models.ForeignKey(EvidencePack, related_name="items", on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ItemKind.choices, default=ItemKind.TEXT
    )
    title = models.CharField(_("title"), max_length=200)
    provided_by = models.CharField(
        _("provided by"), max_length=200, help_text=_("The person or organisation it comes from.")
    )
    standpoint = models.CharField(_("standpoint"), max_length=20, choices=Standpoint.choices)
    summary = models.TextField(
        _("plain-language summary"),
        max_length=SHORT,
        help_text=_("A few sentences anyone can follow."),
    )
    body = models.TextField(
        _("text"),
        blank=True,
        max_length=DOCUMENT,
        help_text=_("Markdown. Shown to readers as formatted text."),
    )
    link_url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", blank=True)
    transcript = models.TextField(
        _("transcript or captions"),
        blank=True,
        max_length=DOCUMENT,
        help_text=_("Audio and video are only shown with a transcript or captions."),
    )
    reading_minutes = models.PositiveSmallIntegerField(
        _("estimated reading time (minutes)"), default=5
    )
    visibility = models.CharField(
        _("who may see it"),
        max_length=10,
        choices=ItemVisibility.choices,
        default=ItemVisibility.MEMBERS,
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("evidence item")
        ordering = ["position", "id"]

    def __str__(self):
        return self.title

    @property
    def is_media(self):
        return self.kind == ItemKind.MEDIA


class EvidenceItemVersion(models.Model):
    """An item as it was after one edit. Never changed."""

    item = models.ForeignKey(EvidenceItem, related_name="versions", on_delete=models.CASCADE)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=SHORT)
    body = models.TextField(blank=True, max_length=DOCUMENT)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="one_row_per_item_version")
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"


class Reading(models.Model):
    """A member opened an item; `version` is the version they read."""

    item = models.ForeignKey(EvidenceItem, related_name="readings", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    version = models.PositiveIntegerField()
    first_read_at = models.DateTimeField(auto_now_add=True)
    last_read_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="one_reading_per_person_per_item")
        ]

    def __str__(self):
        return f"{self.item_id} read at v{self.version}"
