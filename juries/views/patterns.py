"""The pattern library: every shared component, in every state, from the partials pages use."""

from types import SimpleNamespace

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import charts, permissions, statuses
from ..models import Jury, Role, Stage
from ..timeline import timeline_for


class ExampleForm(forms.Form):
    """A form shown with its errors, as a person would see it after a mistake."""

    name = forms.CharField(
        label=gettext_lazy("Your name"),
        help_text=gettext_lazy("As you would like jurors to see it."),
    )
    contact = forms.ChoiceField(
        label=gettext_lazy("How should we contact you?"),
        choices=[("email", gettext_lazy("Email")), ("phone", gettext_lazy("Phone"))],
        widget=forms.RadioSelect,
    )


def _model_states():
    """Every registered model state, with its words and meaning, for the tags section."""
    rows = []
    for (label, field_name), states in sorted(statuses.registered().items()):
        model = apps.get_model(label)
        rows.append(
            {
                "name": f"{model._meta.verbose_name} · {field_name}",
                "states": [{"text": text, "meaning": meaning} for text, meaning in states],
            }
        )
    return rows


def _example_charts():
    """One chart of each kind, with made-up numbers, as pages draw them."""
    levels = [
        charts.Key(_("Strongly support"), "green-dark"),
        charts.Key(_("Support"), "green"),
        charts.Key(_("Oppose"), "red", "hatch"),
        charts.Key(_("Abstain"), "grey-light", drawn=False),
    ]
    return [
        charts.stacked_bars(
            "pattern-votes",
            _("Votes on two recommendations"),
            _("Each bar splits the votes cast by level of support; the line marks the threshold."),
            levels,
            [(_("Recommendation 1"), [9, 6, 3, 1]), (_("Recommendation 2"), [4, 5, 9, 0])],
            threshold=75,
            threshold_label=_("Threshold: 75%"),
        ),
        charts.bar_chart(
            "pattern-shares",
            _("Shares of each age group"),
            _("The population's, the pool's and the panel's share of each age group."),
            [
                charts.Key(_("Population"), "grey"),
                charts.Key(_("Pool"), "blue-light", "dots"),
                charts.Key(_("Panel"), "blue"),
            ],
            [
                (_("16 to 29"), [22, 15, 25]),
                (_("30 to 59"), [50, 55, 50]),
                (_("60 or older"), [28, 30, 25]),
            ],
            percent=True,
        ),
        charts.progress_bar(
            "pattern-progress", _("Reading progress"), _("Items of the pack read so far."), 3, 5
        ),
    ]


def _example_jury():
    """An unsaved jury, for the components that show one (its navigation, its stepper)."""
    jury = Jury(slug="example-jury", title=_("An example jury"), stage=Stage.DELIBERATION)
    may = {
        action.value: permissions.allowed(Role.FACILITATOR, jury.stage, action)
        for action in permissions.Action
    }
    return jury, permissions.JuryAccess(jury=jury, membership=None, may=may)


@login_required
def pattern_library(request):
    if not permissions.may_see_pattern_library(request.user):
        raise PermissionDenied
    jury, access = _example_jury()
    form = ExampleForm({"name": "", "contact": ""})
    form.is_valid()
    meanings = [
        (statuses.DONE, _("Accepted")),
        (statuses.PENDING, _("Waiting for an answer")),
        (statuses.PROBLEM, _("Overdue")),
        (statuses.ACTIVE, _("Running")),
        (statuses.INACTIVE, _("Draft")),
    ]
    context = {
        "meanings": [SimpleNamespace(meaning=m, text=t) for m, t in meanings],
        "model_states": _model_states(),
        "form": form,
        "jury": jury,
        "access": access,
        "stepper_rows": timeline_for(jury, plans=[]),
        "wide_columns": range(1, 13),
        "charts": _example_charts(),
        "avatar_names": ["Grace O.", "Jo Bloggs", "Sam", "Ana María Ruiz"],
    }
    return render(request, "juries/patterns.html", context)


urlpatterns = [
    path("patterns/", pattern_library, name="patterns"),
]
