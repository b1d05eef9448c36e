"""Small template helpers for the shared components."""

from datetime import datetime

from django import forms, template
from django.utils.html import format_html

from juries import idempotency, navigation, numbers, permissions, statuses
from juries import parts as page_parts

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


def _forms_in(items):
    """Forms from a mix of forms, formsets and lists of forms; formset-level errors too."""
    for item in items:
        if item is None:
            continue
        if isinstance(item, list | tuple):
            yield from _forms_in(item)
        elif hasattr(item, "management_form"):
            yield item
            yield from _forms_in(item.forms)
        else:
            yield item


def _problems_of(form):
    prefix = getattr(form, "error_prefix", "")
    label = f"{prefix}: " if prefix else ""
    if hasattr(form, "management_form"):  # a formset: only its own errors here
        return [{"anchor": "", "message": f"{label}{e}"} for e in form.non_form_errors()]
    if not form.is_bound:
        return []
    problems = [{"anchor": "", "message": f"{label}{e}"} for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name != "__all__":
            problems += [{"anchor": form[name].auto_id, "message": f"{label}{e}"} for e in errors]
    return problems


@register.inclusion_tag("components/error_summary.html")
def error_summary(*forms_to_check):
    """One "There is a problem" box for the whole page, linking to each field in error.

    Takes forms, formsets or lists of forms. A form's `error_prefix` (say "Agenda item 2") is put
    before its messages so a message says which part of the page it is about.
    """
    problems = []
    for form in _forms_in(forms_to_check):
        problems += _problems_of(form)
    return {"problems": problems}


@register.simple_tag
def submission_key():
    """A hidden one-time key, so a double-click or a retried request acts once."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', idempotency.FIELD, idempotency.new_key()
    )


@register.simple_tag
def jury_sections(jury, access):
    """`{% jury_sections jury access as links %}`: the jury's sections for its navigation, each
    with its URL and whether it is shown to `access` (see juries.navigation)."""
    return navigation.links_for(jury, access)


@register.simple_tag(takes_context=True)
def parts(context, place):
    """`{% parts "place" %}`: what the apps built on this page's app show there (juries.parts)."""
    return page_parts.render(place, context)


# Rules about one object, from `juries.permissions`, as filters:
# `{% if access|may_change_post:post %}`.
# Each is False where the template has no access: a live push is rendered per role, for no one
# person, so nothing that depends on who the person is shows in it.


def _rule(predicate, access, obj):
    return isinstance(access, permissions.JuryAccess) and predicate(access, obj)


@register.filter
def may_change_post(access, post):
    return _rule(permissions.may_change_post, access, post)


@register.filter
def may_read_post(access, post):
    return _rule(permissions.may_read_post, access, post)


@register.filter
def may_flag_post(access, post):
    return _rule(permissions.may_flag_post, access, post)


@register.filter
def may_remove_member(access, membership):
    return _rule(permissions.may_remove_member, access, membership)


@register.filter(expects_localtime=True)
def datetime_value(value):
    """`value` as a `<time datetime>` value: ISO 8601 to the second, with the offset of the time
    zone it is shown in ("2026-03-02T09:30:00+00:00"). Django's `date:"c"` adds microseconds when
    a time has them, which HTML does not accept there. A date stays a date; nothing gives ""."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat() if value else ""


@register.filter(name="percent")
def percent_filter(part, whole):
    """`{{ part|percent:whole }}`: the share as people read it (see `juries.numbers`), no "%" sign."""
    return numbers.percent(part, whole)


@register.filter
def percent_figure(value):
    """`{{ value|percent_figure }}`: an already computed percentage under the same rule."""
    return numbers.format_percent(value)


@register.inclusion_tag("components/status_tag.html")
def status_tag(obj, field_name="state", label="", url=""):
    """`{% status_tag response "status" %}`: the state's words in a tag coloured by its meaning,
    as its model registered it (juries.statuses). `label` goes before the words ("Stage:")."""
    return {
        "text": statuses.words_of(obj, field_name),
        "meaning": statuses.meaning_of(obj, field_name),
        "label": label,
        "url": url,
    }
