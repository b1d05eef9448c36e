from django import forms
from django.utils.translation import gettext_lazy as _

from juries.text_limits import SHORT

from .questions import COMMENT, SCALE


class QuestionnaireForm(forms.Form):
    """One group of radio buttons per statement (each answered, "prefer not to say" included),
    and for the organisers a free-text comment."""

    def __init__(self, *args, asked, comment=False, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in asked:
            self.fields[key] = forms.ChoiceField(
                label=label,
                choices=SCALE,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer, or “Prefer not to say”.")},
            )
        if comment:
            self.fields[COMMENT] = forms.CharField(
                label=_("Anything else about how the jury was run"),
                required=False,
                max_length=SHORT,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    @property
    def statements(self):
        return [self[name] for name in self.fields if name != COMMENT]

    def answers(self):
        return {key: value for key, value in self.cleaned_data.items() if value != ""}


class SettingsForm(forms.Form):
    after_sittings = forms.BooleanField(
        label=_("Ask jurors a few questions after each sitting"),
        help_text=_(
            "From the moment you turn this on: jurors are asked about each sitting that ends "
            "after that, not about earlier ones."
        ),
        required=False,
    )
    statements = forms.CharField(
        label=_("Topic statements"),
        help_text=_(
            "One statement about the jury's subject per line, for example “Automated fraud "
            "scores should be used to stop payments”. Jurors say how much they agree at the "
            "start and at the end. They cannot change once a juror has answered."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_statements(self):
        lines = [line.strip() for line in self.cleaned_data["statements"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > 10:
            raise forms.ValidationError(_("Write at most 10 statements."))
        for line in lines:
            if len(line) > 300:
                raise forms.ValidationError(_("Keep each statement under 300 characters."))
        return lines
