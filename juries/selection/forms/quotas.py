"""Forms for the jury's questions and quotas. The rules themselves live in `juries.selection.quotas`."""

from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from juries.text_limits import SHORT

from .. import quotas


class CategoryForm(forms.Form):
    name = forms.CharField(
        label=_lazy("Category"),
        max_length=80,
        help_text=_lazy("A short name for tables and the public record, for example “Age”."),
    )
    question = forms.CharField(
        label=_lazy("Question for volunteers"),
        max_length=200,
        help_text=_lazy("As volunteers see it on the form, for example “How old are you?”"),
    )
    values = forms.CharField(
        label=_lazy("Answers"),
        max_length=SHORT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_lazy(
            "One answer on each line, in the order volunteers should see them. "
            "An answer that volunteers have already given cannot be removed."
        ),
    )

    def __init__(self, *args, category=None, **kwargs):
        if category is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": category.name,
                    "question": category.question,
                    "values": "\n".join(value.label for value in category.values.all()),
                },
            )
        super().__init__(*args, **kwargs)

    def clean_values(self):
        try:
            return quotas.clean_labels(self.cleaned_data["values"].splitlines())
        except quotas.QuotaError as error:
            raise forms.ValidationError(str(error)) from error

    def add_service_error(self, error):
        """Show a refusal from `juries.selection.quotas` beside the field it is about."""
        self.add_error(error.field if error.field in self.fields else None, str(error))


class MergeAnswersForm(forms.Form):
    """Which of a category's answers to merge, and what to call the merged answer."""

    values = forms.ModelMultipleChoiceField(
        label=_lazy("Answers to merge"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _lazy("Choose at least two answers to merge.")},
    )
    label = forms.CharField(
        label=_lazy("Name of the merged answer"),
        max_length=quotas.MAX_LABEL_LENGTH,
        help_text=_lazy("For example “16 to 34” for “16 to 24” and “25 to 34”."),
    )

    def __init__(self, *args, category, pool_counts, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["values"]
        field.queryset = category.values.all()
        field.label_from_instance = lambda value: (
            _("%(label)s (%(count)s in the pool)")
            % {"label": value.label, "count": pool_counts.get(value.pk, 0)}
        )

    def add_service_error(self, error):
        self.add_error(error.field if error.field in self.fields else None, str(error))


class QuotaInput(forms.NumberInput):
    """A narrow number box (the stylesheet keeps number inputs short, which suits a table)."""

    def __init__(self, step):
        super().__init__(attrs={"min": "0", "step": step, "autocomplete": "off"})


class QuotasForm(forms.Form):
    """One row of inputs per answer, named by the answer's id: share-<id>, min-<id>, max-<id>.

    Built from the composition's rows so the page and the form show the same answers. Checks
    every row with `quotas.check_quotas`, so the messages match the service's.
    """

    KINDS = ("share", "min", "max")

    def __init__(self, data=None, *, composition):
        super().__init__(data)
        self.panel_size = composition.panel_size
        self.values = [row.value for block in composition.categories for row in block.rows]
        for value in self.values:
            self._add_fields(value)

    def _add_fields(self, value):
        name = f"{value.category.name}: {value.label}"
        invalid = _("Enter a number for %(name)s.") % {"name": name}
        self.fields[f"share-{value.pk}"] = forms.DecimalField(
            label=_("Share of the population for %(name)s (%%)") % {"name": name},
            required=False,
            initial=value.population_share,
            widget=QuotaInput("any"),
            error_messages={"invalid": invalid},
        )
        self.fields[f"min-{value.pk}"] = forms.IntegerField(
            label=_("At least, for %(name)s") % {"name": name},
            required=False,
            initial=value.minimum,
            widget=QuotaInput("1"),
            error_messages={"invalid": invalid},
        )
        self.fields[f"max-{value.pk}"] = forms.IntegerField(
            label=_("At most, for %(name)s (empty: no limit)") % {"name": name},
            required=False,
            initial=value.maximum,
            widget=QuotaInput("1"),
            error_messages={"invalid": invalid},
        )

    def _row(self, value):
        share = self.cleaned_data.get(f"share-{value.pk}")
        if share is not None and abs(share) < 1000:  # larger ones are refused as out of range
            share = share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        low = self.cleaned_data.get(f"min-{value.pk}")
        return share, low or 0, self.cleaned_data.get(f"max-{value.pk}")

    def rows(self):
        """{value id: (share, minimum, maximum)} for `quotas.set_quotas`."""
        return {value.pk: self._row(value) for value in self.values}

    def clean(self):
        cleaned = super().clean()
        # Rows with a field that is not a number are already in error; check the others.
        broken = {int(name.split("-")[1]) for name in self.errors if "-" in name}
        rows = {pk: row for pk, row in self.rows().items() if pk not in broken}
        errors, _warnings = quotas.check_quotas(self.values, rows, self.panel_size)
        self.add_row_errors(errors)
        # List the problems in the order of the inputs on the page.
        for name in [name for name in self.fields if name in self._errors]:
            self._errors[name] = self._errors.pop(name)
        return cleaned

    def add_row_errors(self, errors):
        for (pk, kind), message in errors.items():
            self.add_error(f"{kind}-{pk}", message)

    def cells(self, value):
        """The row's three inputs, each with its bound field and widget (errors linked to it)."""
        return [self._cell(self[f"{kind}-{value.pk}"]) for kind in self.KINDS]

    @staticmethod
    def _cell(bound):
        attrs = {}
        if bound.errors:
            attrs = {"aria-invalid": "true", "aria-describedby": f"{bound.auto_id}_error"}
        return {"field": bound, "widget": bound.as_widget(attrs=attrs)}
