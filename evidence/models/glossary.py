from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from juries.models import Jury
from juries.text_limits import SHORT


class GlossaryTerm(models.Model):
    """A word the evidence uses, defined once for the jury and marked wherever it appears."""

    jury = models.ForeignKey(Jury, related_name="glossary", on_delete=models.CASCADE)
    term = models.CharField(_("term"), max_length=100)
    definition = models.TextField(
        _("definition"), max_length=SHORT, help_text=_("In plain words, a sentence or two.")
    )

    class Meta:
        verbose_name = _("glossary term")
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(fields=["jury", "term"], name="one_definition_per_term")
        ]

    def __str__(self):
        return self.term

    @property
    def anchor(self):
        return f"term-{slugify(self.term) or self.pk}"
