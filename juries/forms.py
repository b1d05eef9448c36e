from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from .models import (
    AgendaItem,
    Announcement,
    Jury,
    Membership,
    Role,
    Sitting,
    Stage,
    StagePlan,
    User,
)

MAX_CSV_BYTES = 512 * 1024


def csv_text(upload):
    """An uploaded CSV file as text: UTF-8 (with or without a byte-order mark), or the Windows
    encoding spreadsheets often save in. Raises ValidationError with a plain message."""
    raw = upload.read()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise forms.ValidationError(
        _("This file could not be read as text. Save it as CSV (UTF-8) and try again.")
    )


class SignupForm(forms.Form):
    """Extra field on allauth's signup form (which adds the email field)."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        help_text=_(
            "The name other members of your jury will see. It does not have to be your full name."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"].strip()
        user.save(update_fields=["display_name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "timezone"]
        widgets = {"display_name": forms.TextInput(attrs={"autocomplete": "nickname"})}

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the name other members should see."))
        return name


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account will be deleted and this cannot be undone."),
        error_messages={
            "required": _("Tick the box to confirm that you want to delete your account.")
        },
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.JUROR)


class BulkInviteForm(forms.Form):
    """Shown on the same page as InviteForm, so its fields' ids start with "id_bulk_"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_bulk_%s")
        super().__init__(*args, **kwargs)

    role = forms.ChoiceField(
        label=_("Role for lines that do not name one"), choices=Role.choices, initial=Role.JUROR
    )
    addresses = forms.CharField(
        label=_("Email addresses"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One per line. You can add a role after a comma, for example: sam@example.org, witness"
        ),
    )
    csv_file = forms.FileField(
        label=_("Or a CSV file"),
        required=False,
        help_text=_("A column of email addresses, and optionally a second column with the role."),
    )

    def clean_csv_file(self):
        upload = self.cleaned_data.get("csv_file")
        if not upload:
            return ""
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 512 KB. Split it into smaller files.")
            )
        return csv_text(upload)

    def clean(self):
        data = super().clean()
        if not (data.get("addresses") or "").strip() and not data.get("csv_file"):
            raise forms.ValidationError(_("Paste some email addresses or choose a CSV file."))
        return data

    def text(self):
        return "\n".join(
            part
            for part in (self.cleaned_data.get("addresses"), self.cleaned_data.get("csv_file"))
            if part
        )


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    note = forms.CharField(
        label=_("Note for the record (optional)"), max_length=300, required=False
    )


class NameVisibilityForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["show_name_publicly"]


class EmailChoiceForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["emails"]
        labels = {"emails": _("Which emails about this jury do you want?")}
        widgets = {"emails": forms.RadioSelect}


class JuryDetailsForm(forms.ModelForm):
    """The jury's details. The question (remit) is only offered while it may still change."""

    REMIT_FIELDS = ("remit", "remit_summary")

    class Meta:
        model = Jury
        fields = [
            "title",
            "remit",
            "remit_summary",
            "commissioning_organisation",
            "oversight_body",
            "visibility",
            "help_contact",
            "response_weeks",
        ]

    def __init__(self, *args, allow_remit=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_remit:
            for name in self.REMIT_FIELDS:
                del self.fields[name]
        if self.instance.stage == Stage.RESPONSE:
            # The deadline was set when the report was published; it does not move afterwards.
            del self.fields["response_weeks"]
        else:
            weeks = self.fields["response_weeks"]
            self.fields["response_weeks"] = forms.IntegerField(
                label=weeks.label, help_text=weeks.help_text, min_value=1, max_value=52
            )


class StagePlanForm(forms.ModelForm):
    class Meta:
        model = StagePlan
        fields = ["planned_start", "planned_end"]
        widgets = {
            "planned_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "planned_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The end date must be on or after the start date."))
        return data


class SittingForm(forms.ModelForm):
    class Meta:
        model = Sitting
        fields = ["title", "description", "starts_at", "ends_at", "video_url"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "starts_at": _("In your time zone."),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        for name, value in (("starts_at", start), ("ends_at", end)):
            if value and not (2000 <= value.year <= 2200):
                self.add_error(name, _("Enter a date between the years 2000 and 2200."))
                return data
        if start and end and end <= start:
            self.add_error("ends_at", _("The sitting must end after it starts."))
        return data


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "planned_minutes", "position"]
        labels = {"title": _("Item"), "position": _("Order")}
        help_texts = {"position": _("Items are shown from the lowest number to the highest.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        minutes = self.fields["planned_minutes"]
        minutes.validators.append(MinValueValidator(1, _("An item needs at least one minute.")))
        minutes.widget.attrs["min"] = 1

    def has_changed(self):
        # A blank new row is left out, whatever its number fields say.
        if self.instance.pk is None and not (self.data.get(self.add_prefix("title")) or "").strip():
            return False
        return super().has_changed()

    def clean_position(self):
        return self.cleaned_data.get("position") or 0


AgendaFormSet = forms.inlineformset_factory(
    Sitting,
    AgendaItem,
    form=AgendaItemForm,
    extra=3,
    can_delete=True,
)


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ["title", "text", "audience"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 8}),
            "audience": forms.RadioSelect,
        }
        help_texts = {
            "text": _("Plain text. It is shown on each person's jury home and sent by email."),
        }
