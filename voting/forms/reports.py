"""Forms for dissent, sign-off, publishing corrections and checking a downloaded report."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from juries.text_limits import LONG, SHORT

from ..models import SignOffChoice

VERIFY_MAX_BYTES = 20 * 1024 * 1024
WHOLE_REPORT = "report"


class DissentForm(forms.Form):
    """A new statement of dissent. `about` is a recommendation number, or the whole report."""

    about = forms.ChoiceField(label=_("What do you disagree with?"))
    text = forms.CharField(
        label=_("Your statement of dissent"),
        max_length=LONG,
        help_text=_(
            "Say what you disagree with and why. Other jurors can add their names to it. Once "
            "saved, the words cannot be changed, and it is published with the report."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, recommendations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.recommendations = {str(rec.number): rec for rec in recommendations}
        self.fields["about"].choices = [
            (WHOLE_REPORT, _("The report as a whole")),
            *[
                (
                    number,
                    _("Recommendation %(number)s: %(statement)s")
                    % {"number": number, "statement": rec.statement[:80]},
                )
                for number, rec in self.recommendations.items()
            ],
        ]

    def recommendation(self):
        """The recommendation chosen, or None for the report as a whole."""
        return self.recommendations.get(self.cleaned_data["about"])


class HideDissentForm(forms.Form):
    reason = forms.CharField(
        label=_("The legal reason for hiding it"),
        max_length=500,
        help_text=_(
            "For example: it names a person who is not part of the jury, or it could be "
            "defamatory. The reason is shown in place of the statement and recorded in the audit "
            "log. The words themselves are kept."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SignOffForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your answer"), choices=SignOffChoice.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Anything you want to add"),
        required=False,
        max_length=SHORT,
        help_text=_("Only the jury's members see this. The report counts answers, not names."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("What the correction changes, and why"),
        max_length=SHORT,
        help_text=_("Shown beside the new version, and in the list of every version."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("The file you downloaded"))

    @classmethod
    def refused(cls, message):
        """The form to show again when an upload was refused before it was read, with `message`
        against the file field (and in the error summary)."""
        form = cls(data={}, files={})
        form.full_clean()
        form.errors.clear()
        form.add_error("file", message)
        return form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("The JSON, CSV or PDF of the report, up to %(size)s.") % {
            "size": filesizeformat(VERIFY_MAX_BYTES)
        }

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > VERIFY_MAX_BYTES:
            raise forms.ValidationError(
                _("That file is larger than %(size)s, so it cannot be a copy of this report.")
                % {"size": filesizeformat(VERIFY_MAX_BYTES)}
            )
        return uploaded
