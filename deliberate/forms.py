from django import forms
from django.utils.translation import gettext_lazy as _

from juries.text_limits import LONG

from .models import NotificationChoice

MARKDOWN_HINT = _(
    "Plain text is fine. You can use *italics*, **bold**, lists starting with a dash, and links."
)


def whole_number(value):
    """`value` as an int, or None when it is missing or not a whole number (a form field or a
    socket message from a page, which may hold anything)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=LONG,
        help_text=MARKDOWN_HINT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ThreadForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A few words that say what you would like to talk about."),
    )
    body = forms.CharField(
        label=_("Your first message"),
        max_length=LONG,
        help_text=MARKDOWN_HINT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, label=None, help_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        if help_text:
            self.fields["reason"].help_text = help_text


class NotificationForm(forms.ModelForm):
    class Meta:
        model = NotificationChoice
        fields = ["choice"]
        widgets = {"choice": forms.RadioSelect}
