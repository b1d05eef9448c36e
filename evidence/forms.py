from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from juries.models import Role
from juries.text_limits import IMPORTED_RECORD, LONG

from . import uploads
from .models import (
    EvidenceItem,
    EvidencePack,
    EvidenceRequest,
    GlossaryTerm,
    ItemKind,
    Phase,
    Question,
    QuestionState,
    RequestState,
    System,
    SystemStatus,
    Witness,
)

MAX_RECORD_BYTES = IMPORTED_RECORD


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
    jury = forms.ModelChoiceField(
        label=_("The jury that reviews it"),
        queryset=None,
        required=False,
        empty_label=_("No jury yet"),
        help_text=_(
            "The facilitators of the juries that review a system are the ones who may change its "
            "entry, with the site's staff."
        ),
    )
    purpose = forms.CharField(
        label=_("Purpose statement, if the record has none"),
        required=False,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Older records have no purpose statement, and the register needs one: why the public "
            "body uses the system, in plain English. Leave empty to keep the record's own."
        ),
    )

    def __init__(self, *args, juries=None, jury_required=False, **kwargs):
        """`juries`: those the new entry may be linked to (None when replacing a record)."""
        super().__init__(*args, **kwargs)
        if juries is None:
            del self.fields["jury"]
            return
        self.fields["jury"].queryset = juries
        self.fields["jury"].required = jury_required
        if jury_required:
            only_one = juries.count() == 1
            self.fields["jury"].empty_label = None if only_one else _("Choose the jury")

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


class PackForm(forms.ModelForm):
    class Meta:
        model = EvidencePack
        fields = ["title", "introduction", "position"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 3})}


class ItemForm(forms.ModelForm):
    """An evidence item. What it needs depends on its kind: text needs text, a document a file,
    audio or video a file and a transcript, a link its address."""

    change_note = forms.CharField(
        label=_("What changed (optional)"),
        required=False,
        max_length=300,
        help_text=_("Shown to jurors who read the earlier version."),
    )

    class Meta:
        model = EvidenceItem
        fields = [
            "title",
            "kind",
            "provided_by",
            "standpoint",
            "summary",
            "body",
            "file",
            "transcript",
            "link_url",
            "reading_minutes",
            "visibility",
            "position",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "transcript": forms.Textarea(attrs={"rows": 6}),
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or not hasattr(upload, "content_type"):  # unchanged, or cleared
            return upload
        checked = uploads.check_upload(
            upload, expected_kind=None, max_bytes=uploads.max_upload_bytes()
        )
        upload.name = checked.safe_name
        self.checked_upload = checked
        return upload

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        checked = getattr(self, "checked_upload", None)
        needs = {
            ItemKind.TEXT: ("body", _("Write the text of this item.")),
            ItemKind.LINK: ("link_url", _("Enter the address of the page this item links to.")),
            ItemKind.DOCUMENT: ("file", _("Choose the PDF or image to upload.")),
            ItemKind.MEDIA: ("file", _("Choose the audio or video file to upload.")),
        }
        if kind in needs:
            field, message = needs[kind]
            if not data.get(field) and field not in self.errors:
                self.add_error(field, message)
        if kind == ItemKind.MEDIA and not (data.get("transcript") or "").strip():
            self.add_error("transcript", _("Audio and video need a transcript or captions."))
        if checked and kind in (ItemKind.DOCUMENT, ItemKind.MEDIA) and checked.kind != kind:
            self.add_error("file", _("This file does not match the kind of item you chose."))
        return data


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text", "witness", "item"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, jury, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["witness"].queryset = jury.witnesses.all()
        self.fields["witness"].empty_label = _("Whoever can answer")
        self.fields["item"].queryset = EvidenceItem.objects.filter(
            pack__jury=jury, pack__published_at__isnull=False
        )
        self.fields["item"].empty_label = _("Not about one item")


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Write for jurors who are not experts. You can use Markdown."),
    )


class AssignForm(forms.Form):
    witness = forms.ModelChoiceField(
        label=_("Put the question to"),
        queryset=None,
        required=False,
        empty_label=_("Whoever can answer"),
    )
    answer_by = forms.DateField(
        label=_("Answer by (optional)"),
        required=False,
        help_text=_("Leave empty for a week from today. The witness is reminded the day before."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, jury, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["witness"].queryset = jury.witnesses.all()

    def clean_answer_by(self):
        answer_by = self.cleaned_data["answer_by"]
        if answer_by is not None and answer_by < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day, or leave it empty."))
        return answer_by


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=None)

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = question.jury.questions.exclude(pk=question.pk).exclude(
            state=QuestionState.MERGED
        )


class WitnessForm(forms.ModelForm):
    class Meta:
        model = Witness
        fields = [
            "name",
            "role",
            "standpoint",
            "user",
            "who_pays",
            "public_statements",
            "other_interests",
            "statement",
        ]

    def __init__(self, *args, jury, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.filter(
            memberships__jury=jury, memberships__role=Role.WITNESS
        )
        self.fields["user"].label = _("Their account (a member with the witness role)")
        self.fields["user"].label_from_instance = lambda user: user.public_name


class StatementForm(forms.ModelForm):
    class Meta:
        model = Witness
        fields = ["statement"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 14})}


class EvidenceRequestForm(forms.ModelForm):
    class Meta:
        model = EvidenceRequest
        fields = ["kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "text": _(
                "What would you like to know more about? If you would like to hear from another "
                "witness: who would you trust to tell you about this?"
            )
        }


class RespondForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (RequestState.AGREED, RequestState.AGREED.label),
            (RequestState.DECLINED, RequestState.DECLINED.label),
        ],
    )
    response = forms.CharField(
        label=_("Reply to the juror"), max_length=LONG, widget=forms.Textarea(attrs={"rows": 3})
    )


class GlossaryTermForm(forms.ModelForm):
    class Meta:
        model = GlossaryTerm
        fields = ["term", "definition"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, jury, **kwargs):
        super().__init__(*args, **kwargs)
        self.jury = jury

    def clean_term(self):
        term = self.cleaned_data["term"].strip()
        others = self.jury.glossary.filter(term__iexact=term).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("This word is already in the glossary."))
        return term


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the evidence"), max_length=200)


class SystemLinkForm(forms.Form):
    system = forms.ModelChoiceField(
        label=_("A system in the register"),
        queryset=System.objects.order_by("name"),
        help_text=_(
            "If it is not there yet, add it to the register from a transparency record. A system "
            "another jury already reviews can be added only by the site's staff or by a "
            "facilitator of that jury."
        ),
    )
