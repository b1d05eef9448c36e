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

from .. import permissions, statuses
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
    }
    return render(request, "juries/patterns.html", context)


urlpatterns = [
    path("patterns/", pattern_library, name="patterns"),
]
