"""Forms for drafting recommendations: wording, citations, amendments, themes and merging."""

from django import forms
from django.utils.translation import gettext_lazy as _

from deliberate.models import Post
from juries.text_limits import LONG, SHORT

from .. import drafting
from ..models import Recommendation, Theme


def _whole_number(value):
    value = str(value or "").strip()
    return int(value) if value.isascii() and value.isdecimal() else None


class VersionField(forms.Field):
    """The version (revision_count) a page showed, in a hidden input, so saving can refuse when
    someone saved a newer one meanwhile. Anything but a whole number reads as None: not known."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        return _whole_number(value)


class ShownField(forms.Field):
    """Ids of what a page showed, in hidden inputs; anything but whole numbers is left out."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        numbers = (_whole_number(v) for v in (value or ()))
        return {n for n in numbers if n is not None}


def show_versions(form, **versions):
    """Make a bound form's hidden versions the current ones, so that after being told someone
    saved a newer version, the person can check it and save their own text again."""
    form.data = form.data.copy()
    for name, count in versions.items():
        form.data[name] = "" if count is None else str(count)


class WordingForm(forms.Form):
    """The three parts of a recommendation's wording, as every drafting form asks for them."""

    statement = forms.CharField(
        label=_("The recommendation"),
        max_length=SHORT,
        help_text=_("What should happen, in one or two sentences. Start with a verb."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rationale = forms.CharField(
        label=_("Why"),
        max_length=LONG,
        help_text=_("The reasons, and what in the evidence led you here."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    addressed_to = forms.CharField(
        label=_("Who should act"),
        max_length=200,
        help_text=_("The organisation or people the recommendation asks to act."),
    )

    def wording(self):
        return {name: self.cleaned_data[name] for name in drafting.FIELDS}


def wording_of(recommendation):
    """A form's initial values: the recommendation's current wording."""
    return {name: getattr(recommendation, name) for name in drafting.FIELDS}


class CitationsMixin:
    """Checkboxes for the jury's published evidence items and answered questions, and a box for
    links to posts. `post_choices` are posts already cited, kept while they stay ticked."""

    def add_citation_fields(self, jury, post_choices=None):
        self.jury = jury
        self.fields["items"] = forms.ModelMultipleChoiceField(
            label=_("Evidence items"),
            queryset=drafting.citable_items(jury)
            .select_related("pack")
            .order_by("pack__position", "pack_id", "position", "id"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": _("Choose evidence from this jury's packs.")},
        )
        self.fields["questions"] = forms.ModelMultipleChoiceField(
            label=_("Answers from witnesses"),
            queryset=drafting.citable_questions(jury).select_related("witness"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": _("Choose an answered question of this jury.")},
        )
        if post_choices is not None:
            self.fields["posts"] = forms.ModelMultipleChoiceField(
                label=_("Posts"),
                queryset=post_choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "invalid_choice": _(
                        "A post you ticked is no longer cited. Add it again with its link below."
                    )
                },
            )
        self.fields["post_links"] = forms.CharField(
            label=_("Links to posts in the discussions"),
            required=False,
            max_length=5000,
            help_text=_(
                "One per line. Copy a post's link from the discussion (it ends in “#post-” and a "
                "number), or type the post's number."
            ),
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def clean_post_links(self):
        posts, problems = [], []
        for line in self.cleaned_data["post_links"].splitlines():
            if not line.strip():
                continue
            try:
                posts.append(drafting.find_post(self.jury, line.strip()))
            except drafting.DraftingError as error:
                problems.append(str(error))
        if problems:
            raise forms.ValidationError(problems)
        return posts

    def _ticked(self, name):
        value = self[name].value() or []
        return {str(getattr(v, "pk", v)) for v in value}

    def item_groups(self):
        """[(pack title, [(item, ticked)])], in pack order, for grouped checkboxes."""
        ticked = self._ticked("items")
        groups = {}
        for item in self.fields["items"].queryset:
            groups.setdefault(item.pack.title, []).append((item, str(item.pk) in ticked))
        return list(groups.items())

    def question_choices(self):
        ticked = self._ticked("questions")
        return [(q, str(q.pk) in ticked) for q in self.fields["questions"].queryset]

    def post_choices(self):
        if "posts" not in self.fields:
            return []
        ticked = self._ticked("posts")
        return [(p, str(p.pk) in ticked) for p in self.fields["posts"].queryset]

    def targets(self):
        """Everything ticked or linked, as the objects to cite (posts once each)."""
        posts = {
            p.pk: p for p in [*self.cleaned_data.get("posts", []), *self.cleaned_data["post_links"]]
        }
        return [*self.cleaned_data["items"], *self.cleaned_data["questions"], *posts.values()]


class ProposeForm(CitationsMixin, WordingForm):
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("No theme yet"),
        help_text=_("The facilitators can change this later."),
    )

    def __init__(self, *args, jury, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = jury.themes.all()
        self.add_citation_fields(jury)


class CitationsForm(CitationsMixin, forms.Form):
    """The citations page: what is ticked is what the recommendation cites. `shown` keeps the ids
    of the citations the page showed, so saving drops only those the person unticked, never one
    someone else added meanwhile."""

    shown = ShownField()

    def __init__(self, *args, recommendation, **kwargs):
        cited = list(recommendation.citations.all())
        kwargs.setdefault(
            "initial",
            {
                "items": [c.item_id for c in cited if c.item_id],
                "questions": [c.question_id for c in cited if c.question_id],
                "posts": [c.post_id for c in cited if c.post_id],
                "shown": [c.pk for c in cited],
            },
        )
        super().__init__(*args, **kwargs)
        posts = Post.objects.filter(pk__in=[c.post_id for c in cited if c.post_id])
        self.add_citation_fields(
            recommendation.jury, post_choices=posts.select_related("author", "thread")
        )


class ReviseForm(WordingForm):
    base = VersionField()
    note = forms.CharField(
        label=_("What you changed"),
        max_length=300,
        help_text=_("A few words for the others, for example “made clearer who should act”."),
    )


class AmendmentForm(WordingForm):
    reason = forms.CharField(
        label=_("Why you propose this change"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The facilitators will ask the jury whether it agrees."),
    )


class DecideForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the jury"),
        max_length=300,
        required=False,
        help_text=_("For example, when and how the jury agreed."),
    )


class ThemeForm(forms.Form):
    title = forms.CharField(label=_("Theme"), max_length=200)
    description = forms.CharField(
        label=_("What it covers"),
        required=False,
        max_length=SHORT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SetThemeForm(forms.Form):
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("No theme")
    )

    def __init__(self, *args, jury, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = jury.themes.all()


class ChooseOtherForm(forms.Form):
    """The merge page's first step: which recommendation to merge into this one."""

    other = forms.ModelChoiceField(
        label=_("Merge this recommendation with"),
        queryset=Recommendation.objects.none(),
        to_field_name="number",
        empty_label=None,
        error_messages={
            "required": _("Choose the recommendation to merge with this one."),
            "invalid_choice": _(
                "Recommendation %(value)s can no longer be merged: it was merged or withdrawn "
                "meanwhile. Choose another."
            ),
        },
    )

    def __init__(self, *args, recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["other"]
        field.queryset = recommendation.jury.recommendations.active().exclude(pk=recommendation.pk)
        field.label_from_instance = lambda rec: f"{rec.number}. {rec.statement[:120]}"


class MergeForm(WordingForm):
    """The merged wording. `base` and `other_base` are the versions of the two recommendations
    the page showed."""

    base = VersionField()
    other_base = VersionField()
    note = forms.CharField(
        label=_("Note for the history"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to say only which recommendations were merged."),
    )
