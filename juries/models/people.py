import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy as _


def timezone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("A person needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Their email is private; their display name is what other members see."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        blank=True,
        help_text=_(
            "The name other members of your jury see. It does not have to be your full name."
        ),
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        choices=timezone_choices,
        help_text=_("Sitting times are shown in this time zone."),
    )
    is_staff = models.BooleanField(_("staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=django_timezone.now)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    # Who acted, in the audit log: random, never shown, kept when the account is deleted, so
    # the log never has to be rewritten (see juries.models.audit).
    audit_ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["display_name", "email"]

    def __str__(self):
        return self.public_name

    def save(self, *args, **kwargs):
        # One spelling per address, however it was typed (allauth matches case-insensitively).
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def public_name(self):
        """The name shown to other members: never the email address."""
        if self.is_deleted:
            return str(_("Former juror"))
        return self.display_name or str(_("Unnamed member"))

    def get_short_name(self):
        return self.public_name

    def get_full_name(self):
        return self.public_name
