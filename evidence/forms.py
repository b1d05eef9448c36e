from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Phase, SystemStatus

MAX_RECORD_BYTES = 1024 * 1024


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *SystemStatus.choices]
    )
    phase = forms.ChoiceField(
        label=_("Phase"), required=False, choices=[("", _("Any phase")), *Phase.choices]
    )


class ImportForm(forms.Form):
    FORMATS = [("", _("Work it out from the file")), ("json", "JSON"), ("csv", "CSV")]

    record_file = forms.FileField(
        label=_("Transparency record file"),
        required=False,
        help_text=_(
            "A JSON or CSV file in the Algorithmic Transparency Recording Standard's form."
        ),
    )
    record_text = forms.CharField(
        label=_("Or paste the record"),
        required=False,
        max_length=MAX_RECORD_BYTES,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    format = forms.ChoiceField(label=_("Format"), required=False, choices=FORMATS)
    purpose = forms.CharField(
        label=_("Purpose statement, if the record has none"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Older records have no purpose statement, and the register needs one: why the public "
            "body uses the system, in plain English. Leave empty to keep the record's own."
        ),
    )

    def clean_record_file(self):
        upload = self.cleaned_data.get("record_file")
        if not upload:
            return None
        if upload.size > MAX_RECORD_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        try:
            return upload.name, upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _("This file could not be read as text. Save it as UTF-8 and try again.")
            ) from error

    def clean(self):
        data = super().clean()
        if not data.get("record_file") and not (data.get("record_text") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste a record."))
        return data

    def document(self):
        """The text to import and its format ("json" or "csv")."""
        name, text = self.cleaned_data.get("record_file") or ("", self.cleaned_data["record_text"])
        fmt = self.cleaned_data.get("format")
        if not fmt:
            looks_json = name.lower().endswith(".json") or text.lstrip().startswith(("{", "["))
            fmt = "json" if looks_json else "csv"
        return text, fmt
