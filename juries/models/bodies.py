from django.db import models
from django.utils.translation import gettext_lazy as _

from ..text_limits import SHORT


class OversightBody(models.Model):
    """A board, committee or regulator that must answer a jury's recommendations in public."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=SHORT)
    public_contact = models.CharField(
        _("public contact"),
        max_length=200,
        blank=True,
        help_text=_("An email address or web page where the public can reach the body."),
    )

    class Meta:
        verbose_name = _("oversight body")
        verbose_name_plural = _("oversight bodies")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def members(self):
        """The people with the oversight role in any of this body's juries."""
        from .juries import Role
        from .people import User

        return User.objects.filter(
            memberships__jury__oversight_body=self,
            memberships__role=Role.OVERSIGHT,
            is_active=True,
        ).distinct()
