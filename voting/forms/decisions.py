"""Forms for the vote: its rules, a juror's ballot sheet and their priority ranking."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..decisions import REASON_MAX_LENGTH
from ..models import Vote
from ..models.decisions import LEVEL_LABELS
from ..tally import Level

KINDS = [
    ("final", _("Final: this vote decides which recommendations are adopted")),
    (
        "indicative",
        _("Indicative: a first vote to see where the jury stands; drafting reopens afterwards"),
    ),
]


class RulesForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label=_("What kind of vote is this?"),
        choices=KINDS,
        initial="final",
        required=False,  # left out: final, as every vote was before rounds
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Vote
        fields = ["threshold_percent", "quorum_percent", "ranking"]
        widgets = {
            "threshold_percent": forms.NumberInput(attrs={"min": 1, "max": 100}),
            "quorum_percent": forms.NumberInput(attrs={"min": 1, "max": 100}),
        }

    def clean(self):
        data = super().clean()
        data["indicative"] = data.pop("kind", "") == "indicative"
        if data["indicative"] and data.get("ranking"):
            self.add_error("ranking", _("Only a final vote is followed by a priority ranking."))
        return data


class ReopenForm(forms.Form):
    """After an indicative vote: which recommendations the jury revises before the final vote."""

    scope = forms.ChoiceField(
        label=_("Reopen drafting for"),
        choices=[
            ("short", _("The recommendations that did not reach the threshold")),
            ("all", _("All the recommendations")),
        ],
        initial="short",
        widget=forms.RadioSelect,
    )


class BallotForm(forms.Form):
    """A juror's ballot on one recommendation: a level (or none yet), a reason, and whether the
    reason may be published without their name."""

    level = forms.ChoiceField(
        label=_("How far do you agree?"),
        choices=[(level.value, LEVEL_LABELS[level]) for level in Level],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the levels of agreement shown.")},
    )
    reason = forms.CharField(
        label=_("Your reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    publish_reason = forms.BooleanField(
        label=_("Publish my reason without my name"),
        required=False,
        help_text=_("Leave this unticked and only you will ever see your reason."),
    )

    def __init__(self, *args, recommendation, **kwargs):
        self.recommendation = recommendation
        super().__init__(*args, prefix=f"rec-{recommendation.pk}", **kwargs)
        self.error_prefix = _("Recommendation %(number)s") % {"number": recommendation.number}

    def clean(self):
        data = super().clean()
        if data.get("reason", "").strip() and not data.get("level"):
            self.add_error("level", _("Choose how far you agree, or remove your reason."))
        return data

    def entry(self):
        """(recommendation, level, reason, publish) for `cast_ballots`, or None if left blank."""
        data = self.cleaned_data
        if not data.get("level"):
            return None
        return (self.recommendation, data["level"], data["reason"], data["publish_reason"])


def ballot_forms(recommendations, ballots, data=None):
    """One BallotForm per recommendation, filled in from the juror's own `ballots` (by
    recommendation id) or from the submitted `data`."""
    forms_ = []
    for recommendation in recommendations:
        ballot = ballots.get(recommendation.pk)
        initial = (
            {
                "level": ballot.level,
                "reason": ballot.reason,
                "publish_reason": ballot.publish_reason,
            }
            if ballot
            else {}
        )
        forms_.append(BallotForm(data, recommendation=recommendation, initial=initial))
    return forms_


class RankingForm(forms.Form):
    """A place for each adopted recommendation (1 = most important); some may be left out."""

    error_prefix = ""

    def __init__(self, *args, recommendations, **kwargs):
        super().__init__(*args, **kwargs)
        self.recommendations = list(recommendations)
        total = len(self.recommendations)
        choices = [("", _("No place"))] + [(str(place), place) for place in range(1, total + 1)]
        for recommendation in self.recommendations:
            self.fields[f"rec-{recommendation.pk}"] = forms.TypedChoiceField(
                label=_("Recommendation %(number)s: %(statement)s")
                % {"number": recommendation.number, "statement": recommendation.statement},
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={"invalid_choice": _("Choose a place from the list.")},
            )

    def set_order(self, order):
        """Fill the places from a saved order of recommendation ids."""
        for place, pk in enumerate(order, start=1):
            name = f"rec-{pk}"
            if name in self.fields:
                self.initial[name] = str(place)

    def clean(self):
        data = super().clean()
        places = {}
        for recommendation in self.recommendations:
            place = data.get(f"rec-{recommendation.pk}")
            if place is not None:
                places.setdefault(place, []).append(recommendation)
        if not places and not self.errors:
            raise forms.ValidationError(_("Give a place to at least one recommendation."))
        for place, sharing in sorted(places.items()):
            if len(sharing) > 1:
                numbers = ", ".join(str(r.number) for r in sharing)
                self.add_error(
                    f"rec-{sharing[1].pk}",
                    _("Recommendations %(numbers)s share place %(place)s: give each its own.")
                    % {"numbers": numbers, "place": place},
                )
        self.order = [r.pk for place, sharing in sorted(places.items()) for r in sharing]
        return data


class OpenVoteForm(forms.Form):
    """When the facilitators plan to close the vote: optional; jurors who have not voted are
    reminded the day before, and "what to do next" shows it."""

    closes_at = forms.DateTimeField(
        label=_("When do you plan to close the vote? (optional)"),
        required=False,
        help_text=_(
            "In your time zone. Jurors who have not voted get one reminder the day before. "
            "The vote only closes when you close it."
        ),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_closes_at(self):
        closes_at = self.cleaned_data["closes_at"]
        if closes_at is not None and closes_at <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future, or leave it empty."))
        return closes_at
