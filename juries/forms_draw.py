"""Forms for the draw: the public seed, and the reason for replacing someone on the panel."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .selection import bundle


def _translated(problem):
    """A `bundle.Problem` in the reader's language (the bundle module itself never translates)."""
    if hasattr(problem, "template"):
        return gettext(problem.template).format(**problem.params)
    return str(problem)


class SeedForm(forms.Form):
    seed = forms.CharField(
        label=_("The seed"),
        max_length=bundle.SEED_MAX_LENGTH * 2,  # whitespace is squeezed before the real limit
        help_text=_(
            "Type it exactly as it was published, for example “07 13 22 31 40 48 bonus 11”. "
            "Spaces at the ends and repeated spaces do not matter."
        ),
    )
    source = forms.CharField(
        label=_("Where it comes from"),
        max_length=300,
        help_text=_(
            "So that anyone can check it, for example “National Lottery draw of 14 June 2025” "
            "or “Dice rolled at the public meeting of 3 June, video on the council's website”."
        ),
    )

    def clean_seed(self):
        try:
            return bundle.normalise_seed(self.cleaned_data["seed"])
        except ValueError as error:
            raise forms.ValidationError(_translated(error.args[0])) from None

    def clean_source(self):
        source = " ".join(self.cleaned_data["source"].split())
        if not source:
            raise forms.ValidationError(
                _("Say where the seed comes from, so that anyone can check it.")
            )
        return source


class ReplaceForm(forms.Form):
    reason = forms.CharField(
        label=_("Why this person is leaving the panel"),
        max_length=300,
        help_text=_(
            "A few words for the record, for example “Declined the invitation” or “Moved away”. "
            "Observers read the list of replacements, so leave out personal details such as "
            "health."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(_("Give a short reason, for the record."))
        return reason
