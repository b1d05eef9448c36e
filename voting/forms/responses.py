"""Forms for the oversight body's answer to a recommendation and its progress updates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from juries.text_limits import LONG

from ..models import ResponseStatus


class ResponseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Your answer"),
        choices=ResponseStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose an answer.")},
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Why you give this answer. The jurors and the public read it."),
        error_messages={"required": _("Give the reasons for your answer.")},
    )
    planned_action = forms.CharField(
        label=_("What will be done"),
        required=False,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The action planned, if any."),
    )
    owner = forms.CharField(
        label=_("Who is responsible"),
        required=False,
        max_length=200,
        help_text=_("A team or a post, for example “Head of Benefits Operations”."),
    )
    due_by = forms.DateField(
        label=_("By when"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date the action should be done by."),
        # Browsers without a date picker show a text box: accept the ways people write dates.
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"],
        error_messages={"invalid": _("Enter a real date, for example 31/03/2026.")},
    )
    # The version of the answer the form was opened on (empty for a first answer), so a change
    # someone else published meanwhile is noticed instead of overwritten.
    based_on = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_based_on(self):
        # Hand-edited or garbled: treat as "started from no answer", which the service refuses
        # when there is one, so nothing is overwritten.
        value = self.cleaned_data["based_on"].strip()
        return int(value) if value.isdigit() else None

    @classmethod
    def for_response(cls, data, response):
        """The form, prefilled with `response`'s current answer when there is one."""
        initial = {}
        if response is not None:
            initial = {
                "status": response.status,
                "reasons": response.reasons,
                "planned_action": response.planned_action,
                "owner": response.owner,
                "due_by": response.due_by,
                "based_on": response.version,
            }
        return cls(data, initial=initial)

    @classmethod
    def after_conflict(cls, data, current, message):
        """The form as the member filled it in, now based on `current` (the answer someone else
        published meanwhile), with `message` shown: publishing it again is a deliberate choice
        to replace `current`."""
        data = data.copy()
        data["based_on"] = str(current.version)
        form = cls.for_response(data, current)
        form.add_error(None, message)
        return form


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Your answer now"),
        choices=ResponseStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the answer as it stands now.")},
    )
    note = forms.CharField(
        label=_("What has happened"),
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Say what has happened since the last update.")},
    )
    percent_done = forms.IntegerField(
        label=_("How much is done (%)"),
        min_value=0,
        max_value=100,
        help_text=_("A whole number from 0 to 100."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Say how much is done, from 0 to 100."),
            "invalid": _("Give a whole number from 0 to 100."),
            "min_value": _("Give a whole number from 0 to 100."),
            "max_value": _("Give a whole number from 0 to 100."),
        },
    )
