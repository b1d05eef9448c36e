"""Forms for the draw: the public seed, and the reason for replacing someone on the panel."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import bundle


def _translated(problem):
    """A `bundle.Problem` in the reader's language (the bundle module itself never translates)."""
    if hasattr(problem, "template"):
        return gettext(problem.template).format(**problem.params)
    return str(problem)


class SeedRuleForm(forms.Form):
    """Declared when the distribution is published, and part of what is published: the seed's
    source cannot be picked after the result is known."""

    source = forms.CharField(
        label=_("Where the seed will come from"),
        max_length=300,
        help_text=_(
            "A public event that has not happened yet and that nobody here controls, for example "
            "“National Lottery Lotto draw of Saturday 14 June 2025: the six main numbers, then the "
            "bonus ball” or “Six dice rolled on camera at the public meeting of 3 June”."
        ),
    )
    numbers = forms.IntegerField(
        label=_("How many numbers the seed has"),
        min_value=1,
        max_value=50,
        help_text=_("For example 7 for six main numbers and a bonus ball, or 6 for six dice."),
    )
    date = forms.DateField(
        label=_("The day of the seed event"),
        help_text=_(
            "Written as year-month-day, for example 2025-06-14. It is published with the lottery, "
            "and Deliberate will not take a seed before that day: a number known earlier cannot "
            "be the event's result, and anyone checking the draw will look for exactly that."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_source(self):
        source = " ".join(self.cleaned_data["source"].split())
        if not source:
            raise forms.ValidationError(
                _("Say where the seed will come from, so that anyone can check it.")
            )
        return source

    def clean_date(self):
        day = self.cleaned_data["date"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError(
                _(
                    "That day has already happened. The seed must come from an event that has "
                    "not happened yet, so that nobody can know it now: choose %(today)s or later."
                )
                % {"today": date_format(today, "DATE_FORMAT")}
            )
        return day


class SeedForm(forms.Form):
    seed = forms.CharField(
        label=_("The seed"),
        max_length=bundle.SEED_MAX_LENGTH * 2,
        help_text=_(
            "The numbers as published, in the order the rule says, for example "
            "“07 13 22 31 40 48 11”. Only the numbers count: spaces, commas and words are ignored."
        ),
    )

    def __init__(self, *args, numbers, **kwargs):
        super().__init__(*args, **kwargs)
        self.numbers = numbers

    def clean_seed(self):
        try:
            return bundle.normalise_seed(self.cleaned_data["seed"], self.numbers)
        except ValueError as error:
            raise forms.ValidationError(_translated(error.args[0])) from None


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
