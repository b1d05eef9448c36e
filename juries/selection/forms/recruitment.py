"""Forms for recruitment: the public registration form, the settings, and the CSV import."""

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from juries.forms import csv_text
from juries.models import Recruitment
from juries.text_limits import SHORT

MAX_IMPORT_BYTES = 2 * 1024 * 1024
HONEYPOT = "website"


class VolunteerForm(forms.Form):
    """Registering interest: built from the jury's questions and eligibility statements."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        error_messages={"required": _("Enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We send you a link to confirm it is yours."),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.org."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    access_needs = forms.CharField(
        label=_("Anything we should arrange so you can take part"),
        required=False,
        max_length=SHORT,
        help_text=_(
            "For example step-free access, a sign language interpreter, large print or help "
            "with travel costs. This never affects whether you are selected."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Hidden from people and assistive technology; bots that fill every field give themselves away.
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def __init__(self, *args, jury, categories, statements, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        self.statements = list(statements)
        for category in self.categories:
            self.fields[self.category_field(category)] = forms.TypedChoiceField(
                label=category.question,
                choices=[(value.pk, value.label) for value in category.values.all()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer to “%(question)s”.")
                    % {"question": category.question}
                },
            )
        for index, statement in enumerate(self.statements):
            self.fields[f"statement_{index}"] = forms.BooleanField(
                label=statement,
                error_messages={
                    "required": _(
                        "Confirm “%(statement)s”: only people for whom it is true can take part."
                    )
                    % {"statement": statement}
                },
            )
        privacy = reverse("juries:volunteer-privacy", args=[jury.slug])
        self.fields["consent"] = forms.BooleanField(
            label=format_html(
                gettext(
                    "I agree that my details are kept and used for the lottery, as the "
                    '<a href="{url}">privacy notice</a> explains.'
                ),
                url=privacy,
            ),
            error_messages={
                "required": _("Tick the box to agree to the privacy notice, or we cannot add you.")
            },
        )

    @staticmethod
    def category_field(category):
        return f"category_{category.pk}"

    def category_fields(self):
        return [self[self.category_field(category)] for category in self.categories]

    def statement_fields(self):
        return [self[f"statement_{index}"] for index in range(len(self.statements))]

    @property
    def is_from_a_bot(self):
        return bool(self.data.get(HONEYPOT, "").strip())

    def answers(self):
        return {
            category.pk: self.cleaned_data[self.category_field(category)]
            for category in self.categories
        }

    def confirmed_statements(self):
        return [
            statement
            for index, statement in enumerate(self.statements)
            if self.cleaned_data.get(f"statement_{index}")
        ]


class RecruitmentSettingsForm(forms.ModelForm):
    class Meta:
        model = Recruitment
        fields = ["panel_size", "eligibility", "retention_days"]
        widgets = {"eligibility": forms.Textarea(attrs={"rows": 4})}

    def clean_retention_days(self):
        days = self.cleaned_data["retention_days"]
        limit = settings.SELECTION_RETENTION_MAX_DAYS
        if days > limit:
            raise forms.ValidationError(
                _("Keep details for at most %(limit)s days after the report.") % {"limit": limit}
            )
        return days

    def clean_panel_size(self):
        size = self.cleaned_data["panel_size"]
        if size < 1:
            raise forms.ValidationError(_("The panel needs at least one juror."))
        return size


class VolunteerImportForm(forms.Form):
    csv_file = forms.FileField(
        label=_("CSV file of volunteers"),
        help_text=_(
            "The first line names the columns: name, email, one column for each category (named "
            "as the category is), and optionally “access needs”. Answers must match the answers "
            "you set for each category; capitals do not matter."
        ),
        error_messages={"required": _("Choose the CSV file to import.")},
    )
    consent_given = forms.BooleanField(
        label=_(
            "Everyone in this file agreed to take part in the lottery and was given the privacy "
            "notice."
        ),
        error_messages={
            "required": _(
                "Tick the box to confirm that everyone agreed and was given the privacy notice. "
                "Without their consent we cannot import them."
            )
        },
    )

    def clean_csv_file(self):
        upload = self.cleaned_data["csv_file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 2 MB. Split it into smaller files.")
            )
        return csv_text(upload)
