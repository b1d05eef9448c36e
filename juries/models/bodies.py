from django.db import models
from django.utils.translation import gettext_lazy as _


class OversightBody(models.Model):
    """A board, committee or regulator that must answer a jury's recommendations in public."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
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
