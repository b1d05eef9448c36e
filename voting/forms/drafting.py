"""Forms for drafting recommendations: wording, citations, amendments, themes and merging."""

from django import forms
from django.utils.translation import gettext_lazy as _

from deliberate.models import Post

from .. import drafting
from ..models import Recommendation, Theme


class WordingForm(forms.Form):
    """The three parts of a recommendation's wording, as every drafting form asks for them."""

    statement = forms.CharField(
        label=_("The recommendation"),
        max_length=2000,
        help_text=_("What should happen, in one or two sentences. Start with a verb."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rationale = forms.CharField(
        label=_("Why"),
        max_length=10000,
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
    """The citations page: what is ticked is what the recommendation cites."""

    def __init__(self, *args, recommendation, **kwargs):
        cited = list(recommendation.citations.all())
        kwargs.setdefault(
            "initial",
            {
                "items": [c.item_id for c in cited if c.item_id],
                "questions": [c.question_id for c in cited if c.question_id],
                "posts": [c.post_id for c in cited if c.post_id],
            },
        )
        super().__init__(*args, **kwargs)
        posts = Post.objects.filter(pk__in=[c.post_id for c in cited if c.post_id])
        self.add_citation_fields(
            recommendation.jury, post_choices=posts.select_related("author", "thread")
        )


class ReviseForm(WordingForm):
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
        max_length=2000,
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
    )

    def __init__(self, *args, recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["other"]
        field.queryset = recommendation.jury.recommendations.active().exclude(pk=recommendation.pk)
        field.label_from_instance = lambda rec: f"{rec.number}. {rec.statement[:120]}"


class MergeForm(WordingForm):
    note = forms.CharField(
        label=_("Note for the history"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to say only which recommendations were merged."),
    )
