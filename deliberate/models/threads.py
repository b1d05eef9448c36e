from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from juries.models import Jury
from juries.text_limits import LONG


class ThreadQuerySet(models.QuerySet):
    def about(self, obj):
        """Threads attached to `obj` (an evidence item, an agenda item, a recommendation…)."""
        return self.filter(subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk)


class Thread(models.Model):
    """A discussion in a jury, on its own or about something (through a generic relation, so the
    apps that own those things need not know about threads)."""

    jury = models.ForeignKey(Jury, related_name="threads", on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=200)
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    # Set for the thread of a small group at a sitting: only that group and the facilitators post.
    small_group = models.OneToOneField(
        "deliberate.SmallGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="thread",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_post_at = models.DateTimeField(_("last post"), null=True, blank=True)
    post_count = models.PositiveIntegerField(default=0)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("thread")
        ordering = ["-last_post_at", "-created_at"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("deliberate:thread", args=[self.jury.slug, self.pk])


class PostState(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    WITHDRAWN = "withdrawn", _("Withdrawn by its author")
    HIDDEN = "hidden", _("Hidden by a facilitator")


class Post(models.Model):
    thread = models.ForeignKey(Thread, related_name="posts", on_delete=models.CASCADE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="posts", on_delete=models.CASCADE
    )
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    body = models.TextField(_("message"), max_length=LONG)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=PostState.choices, default=PostState.VISIBLE
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("post")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.author} in {self.thread}"

    def get_absolute_url(self):
        return f"{self.thread.get_absolute_url()}#post-{self.pk}"

    @property
    def audit_label(self):
        """How the audit log names it: never its author, as the log keeps this text for good."""
        return f"post {self.pk} in {self.thread}"

    @property
    def is_visible(self):
        return self.state == PostState.VISIBLE

    @property
    def is_hidden(self):
        return self.state == PostState.HIDDEN

    @property
    def is_withdrawn(self):
        return self.state == PostState.WITHDRAWN


class PostRevision(models.Model):
    """An earlier wording of an edited post, kept and shown as its history."""

    post = models.ForeignKey(Post, related_name="revisions", on_delete=models.CASCADE)
    body = models.TextField(max_length=LONG)
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self):
        return f"revision of post {self.post_id}"


class Flag(models.Model):
    """A juror asked the facilitators to look at a post."""

    post = models.ForeignKey(Post, related_name="flags", on_delete=models.CASCADE)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE
    )
    reason = models.CharField(_("what is wrong"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "flagged_by"], name="one_flag_per_person")
        ]

    def __str__(self):
        return f"flag on post {self.post_id}"


class ThreadVisit(models.Model):
    """How far a person has read a thread, for "3 new since your last visit"."""

    thread = models.ForeignKey(Thread, related_name="visits", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    seen_count = models.PositiveIntegerField(default=0)
    seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_visit_per_person")
        ]

    def __str__(self):
        return f"{self.user_id} saw {self.seen_count} in {self.thread_id}"


class Notify(models.TextChoices):
    NOTHING = "nothing", _("Nothing: I will look myself")
    DIGEST = "digest", _("A daily summary of new posts (recommended)")
    REPLIES = "replies", _("An email for every reply to me")


class NotificationChoice(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, related_name="notification_choice", on_delete=models.CASCADE
    )
    choice = models.CharField(
        _("email me"), max_length=20, choices=Notify.choices, default=Notify.DIGEST
    )
    # The newest post already included in a digest, so each post is summarised once.
    digest_sent_until = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user_id}: {self.choice}"
