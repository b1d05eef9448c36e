"""Small template helpers for the shared components."""

from django import forms, template

register = template.Library()


@register.inclusion_tag("components/field.html")
def field(bound_field, **extra_attrs):
    """One form field with its label, hint and errors, the last two linked to the input."""
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_hint")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_error")
    attrs = dict(extra_attrs)
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    return {
        "field": bound_field,
        "widget": bound_field.as_widget(attrs=attrs),
        "is_checkbox": isinstance(bound_field.field.widget, forms.CheckboxInput),
    }


@register.inclusion_tag("components/error_summary.html")
def error_summary(*forms_to_check):
    """The "There is a problem" box at the top of a form, linking to each field in error."""
    problems = []
    for form in forms_to_check:
        if form is None or not form.is_bound:
            continue
        for error in form.non_field_errors():
            problems.append({"anchor": "", "message": error})
        for name, errors in form.errors.items():
            if name == "__all__":
                continue
            bound = form[name]
            for error in errors:
                problems.append({"anchor": bound.auto_id, "message": error})
    return {"problems": problems}
