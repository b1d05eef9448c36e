"""The jury's questions and quotas: the categories volunteers answer, and how many panel seats
each answer may take.

Facilitators change them (the views check MANAGE_RECRUITMENT) until a draw is published; from then
on they are fixed, because the published commitment names them. What the draw and the quotas
page read from them lives in `pool_check`. Nothing here reads a volunteer's contact details.
"""

import math
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from juries import audit
from juries.models import Answer, Category, CategoryValue
from juries.refusals import Refused

from .pool_check import panel_size_of, values_of

MIN_ANSWERS = 2
MAX_LABEL_LENGTH = 100
# Three shares of 33.33% are close enough to 100% not to warn about.
SHARE_TOLERANCE = Decimal("0.1")

FIXED = _lazy(
    "The questions and quotas cannot be changed while a lottery computed from them is in "
    "progress, computed or published. To change them before publication, cancel the lottery on "
    "the draw page first; once published, its public record names them."
)


class QuotaError(Refused):
    """A change that cannot be made, with the reason in plain words.

    `field` names the form field at fault, when there is one; `errors` maps (value id, "share" |
    "min" | "max") to a message for quota rows.
    """

    def __init__(self, message, field=None, *, errors=None):
        super().__init__(str(message))
        self.field = field
        self.errors = errors or {}


def quotas_are_fixed(jury):
    """While a draw is queued, computing, computed or public, it stands on these quotas."""
    return jury.draws.live().exists()


def _ensure_editable(jury):
    if quotas_are_fixed(jury):  # checked inside the caller's transaction
        raise QuotaError(FIXED)


def _name(value):
    return f"{value.category.name}: {value.label}"


def _record(by, jury, action, summary, target=None):
    audit.record(actor=by, action=f"selection.{action}", jury=jury, target=target, summary=summary)


def _next_position(queryset):
    last = queryset.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


# --- categories and their answers -----------------------------------------------------------


def clean_labels(lines):
    """The answers from a list of lines: stripped, blanks dropped, at least two, no repeats."""
    labels = [line.strip() for line in lines if line.strip()]
    if len(labels) < MIN_ANSWERS:
        raise QuotaError(_("Give at least two answers, one on each line."), "values")
    seen = set()
    for label in labels:
        if len(label) > MAX_LABEL_LENGTH:
            message = _("The answer “%(label)s…” is too long: keep it under %(max)s characters.")
            raise QuotaError(message % {"label": label[:30], "max": MAX_LABEL_LENGTH}, "values")
        if label.casefold() in seen:
            raise QuotaError(
                _("The answer “%(label)s” is given twice.") % {"label": label}, "values"
            )
        seen.add(label.casefold())
    return labels


def _clean_name(jury, name, category=None):
    name = (name or "").strip()
    if not name:
        raise QuotaError(_("Give the category a name."), "name")
    others = jury.selection_categories.filter(name__iexact=name)
    if category is not None:
        others = others.exclude(pk=category.pk)
    if others.exists():
        message = _("There is already a category called “%(name)s”.")
        raise QuotaError(message % {"name": name}, "name")
    return name


def _ensure_unanswered(values):
    """Refuse to remove answers that volunteers have already given."""
    given = Answer.objects.filter(value__in=values).values("value__label").annotate(n=Count("id"))
    for row in given.order_by("value__label")[:1]:
        message = _("The answer “%(label)s” cannot be removed: volunteers (%(n)s) gave it.")
        raise QuotaError(message % {"label": row["value__label"], "n": row["n"]}, "values")


def add_category(jury, by, name, question, values):
    """Add a question with its answers (a list of labels). Records it in the audit log."""
    with transaction.atomic():
        _ensure_editable(jury)
        name = _clean_name(jury, name)
        labels = clean_labels(values)
        position = _next_position(jury.selection_categories)
        question = (question or "").strip()
        category = Category.objects.create(
            jury=jury, name=name, question=question, position=position
        )
        CategoryValue.objects.bulk_create(
            CategoryValue(category=category, label=label, position=position)
            for position, label in enumerate(labels)
        )
        summary = _("Added the category “%(name)s” with %(count)s answers.")
        _record(
            by, jury, "category.create", summary % {"name": name, "count": len(labels)}, category
        )
    return category


def _place_values(category, labels):
    """Make the category's answers the given labels, in that order.

    Labels matched ignoring case keep their row (and volunteers' answers); a change of case is
    kept as a rename. Rows whose label is gone are deleted, if nobody has given that answer.
    """
    existing = {value.label.casefold(): value for value in category.values.all()}
    wanted = {label.casefold() for label in labels}
    removed = [value for key, value in existing.items() if key not in wanted]
    _ensure_unanswered(removed)
    CategoryValue.objects.filter(pk__in=[value.pk for value in removed]).delete()
    for position, label in enumerate(labels):
        value = existing.get(label.casefold())
        if value is None:
            CategoryValue.objects.create(category=category, label=label, position=position)
        elif (value.label, value.position) != (label, position):
            value.label, value.position = label, position
            value.save(update_fields=["label", "position"])
    return len(removed)


def edit_category(category, by, name, question, values):
    """Rename a category, reword its question and change its answers (labels, in order)."""
    jury = category.jury
    with transaction.atomic():
        _ensure_editable(jury)
        category.name = _clean_name(jury, name, category)
        category.question = (question or "").strip()
        _place_values(category, clean_labels(values))
        category.save(update_fields=["name", "question"])
        summary = _("Changed the category “%(name)s”.") % {"name": category.name}
        _record(by, jury, "category.edit", summary, category)
    return category


def delete_category(category, by):
    """Delete a category and its answers; refused once any volunteer has answered it."""
    jury = category.jury
    with transaction.atomic():
        _ensure_editable(jury)
        answered = category.answers.count()
        if answered:
            message = _("“%(name)s” cannot be deleted: volunteers (%(count)s) have answered it.")
            raise QuotaError(message % {"name": category.name, "count": answered})
        summary = _("Deleted the category “%(name)s”.") % {"name": category.name}
        _record(by, jury, "category.delete", summary, category)
        category.delete()


def add_value(category, by, label, population_share=None):
    """Add one answer at the end of a category's list."""
    jury = category.jury
    with transaction.atomic():
        _ensure_editable(jury)
        label = (label or "").strip()
        if not label:
            raise QuotaError(_("Give the answer a label."), "label")
        clean_labels([*category.values.values_list("label", flat=True), label])
        value = CategoryValue.objects.create(
            category=category,
            label=label,
            population_share=population_share,
            position=_next_position(category.values),
        )
        summary = _("Added the answer “%(value)s”.") % {"value": _name(value)}
        _record(by, jury, "value.create", summary, value)
    return value


def delete_value(value, by):
    """Delete one answer; refused if a volunteer gave it or the category would keep fewer than
    two."""
    category = value.category
    with transaction.atomic():
        _ensure_editable(category.jury)
        _ensure_unanswered([value])
        if category.values.count() <= MIN_ANSWERS:
            raise QuotaError(_("A category needs at least two answers."))
        summary = _("Deleted the answer “%(value)s”.") % {"value": _name(value)}
        _record(by, category.jury, "value.delete", summary, value)
        value.delete()


def _sum_or_none(numbers):
    return None if None in numbers else sum(numbers)


def merge_values(category, by, values, label):
    """Merge two or more of `category`'s answers into one called `label`: a broader answer, so
    fewer volunteers share a combination of answers with only one or two others.

    Volunteers who gave any of them now give the merged answer; its population share, minimum and
    maximum are the sums of theirs (no maximum if one had none). Refused while the quotas are
    fixed, and when the category would keep fewer than two answers. Locks nothing beyond the
    transaction; records it in the audit log. Returns the merged answer.
    """
    jury = category.jury
    with transaction.atomic():
        _ensure_editable(jury)
        values = sorted(values, key=lambda value: (value.position, value.pk))
        if len(values) < 2:
            raise QuotaError(_("Choose at least two answers to merge."), "values")
        if category.values.count() - len(values) + 1 < MIN_ANSWERS:
            raise QuotaError(
                _("A category needs at least two answers: leave at least one answer out."),
                "values",
            )
        label = (label or "").strip()
        kept, merged = values[0], values[1:]
        others = [v.label for v in category.values.exclude(pk__in=[v.pk for v in values])]
        clean_labels([*others, label or kept.label])
        names = ", ".join(f"“{value.label}”" for value in values)
        Answer.objects.filter(value__in=merged).update(value=kept)
        kept.label = label or kept.label
        kept.population_share = _sum_or_none([v.population_share for v in values])
        kept.minimum = sum(v.minimum for v in values)
        kept.maximum = _sum_or_none([v.maximum for v in values])
        # The merged rows go first: the new label may be one of theirs.
        CategoryValue.objects.filter(pk__in=[value.pk for value in merged]).delete()
        kept.save(update_fields=["label", "population_share", "minimum", "maximum"])
        summary = _("Merged the answers %(names)s of “%(category)s” into “%(label)s”.")
        summary %= {"names": names, "category": category.name, "label": kept.label}
        _record(by, jury, "value.merge", summary, kept)
    return kept


# --- quotas --------------------------------------------------------------------------------


SHARE_RANGE = _lazy("The share of the population for %(name)s must be between 0 and 100.")
MIN_NEGATIVE = _lazy("The minimum for %(name)s cannot be below 0.")
MIN_TOO_BIG = _lazy("The minimum for %(name)s is %(low)s, more than the panel's %(size)s seats.")
MAX_TOO_BIG = _lazy("The maximum for %(name)s is %(high)s, more than the panel's %(size)s seats.")
MAX_TOO_SMALL = _lazy("The maximum for %(name)s is %(high)s, less than its minimum of %(low)s.")


def _row_errors(value, share, low, high, size):
    problems = {
        "share": SHARE_RANGE if share is not None and not 0 <= share <= 100 else None,
        "min": MIN_NEGATIVE if low < 0 else (MIN_TOO_BIG if low > size else None),
        "max": None if high is None else (MAX_TOO_BIG if high > size else None),
    }
    if high is not None and not problems["max"] and high < low:
        problems["max"] = MAX_TOO_SMALL
    params = {"name": _name(value), "low": low, "high": high, "size": size}
    return {(value.pk, key): text % params for key, text in problems.items() if text}


SHARES_OFF = _lazy(
    "The population shares for %(category)s add up to %(total)s%%, not 100%%. "
    "The quotas were saved; check the shares."
)


def _share_warnings(values, rows):
    """Plain-words warnings for categories whose population shares do not add up to 100%."""
    shares = {}
    for value in values:
        share = rows[value.pk][0] if value.pk in rows else value.population_share
        shares.setdefault(value.category.name, []).append(share)
    warnings = []
    for category, given in shares.items():
        total = sum(share for share in given if share is not None)
        complete = None not in given
        if (complete and abs(total - 100) > SHARE_TOLERANCE) or (not complete and total > 100):
            params = {"category": category, "total": f"{float(total):g}"}
            warnings.append(SHARES_OFF % params)
    return warnings


def check_quotas(values, rows, panel_size):
    """Check quota rows ({value id: (share or None, minimum, maximum or None)}) for `values`.

    Returns (errors, warnings): errors map (value id, "share" | "min" | "max") to a message and
    block saving; warnings (shares not adding up to 100%) do not.
    """
    errors = {}
    for value in values:
        if value.pk in rows:
            errors.update(_row_errors(value, *rows[value.pk], panel_size))
    return errors, _share_warnings(values, rows)


def set_quotas(jury, by, rows):
    """Save population shares and quotas: rows are {value id: (share, minimum, maximum)}, with
    share and maximum None when not given (no maximum means the panel size).

    Raises QuotaError (with `errors` per row) if any row is invalid or the quotas are fixed;
    returns the warnings to show. Records one audit entry when something changed.
    """
    with transaction.atomic():
        _ensure_editable(jury)
        values = list(values_of(jury))
        if set(rows) - {value.pk for value in values}:
            raise QuotaError(_("Some of these answers do not belong to this jury's questions."))
        errors, warnings = check_quotas(values, rows, panel_size_of(jury))
        if errors:
            raise QuotaError(_("Some quotas need correcting."), errors=errors)
        changed = []
        for value in values:
            new = rows.get(value.pk)
            if new is not None and new != (value.population_share, value.minimum, value.maximum):
                value.population_share, value.minimum, value.maximum = new
                changed.append(value)
        CategoryValue.objects.bulk_update(changed, ["population_share", "minimum", "maximum"])
        if changed:
            summary = _("Changed the quotas of %(count)s answers.") % {"count": len(changed)}
            _record(by, jury, "quotas.edit", summary)
    return warnings


def suggested_bounds(share, panel_size):
    """(minimum, maximum) around a population share: its seats rounded down less one, and
    rounded up plus one, kept within 0..panel size."""
    seats = Decimal(share) * panel_size / 100
    return max(math.floor(seats) - 1, 0), min(math.ceil(seats) + 1, panel_size)


def suggest_quotas(jury, by):
    """Set every answer's minimum and maximum from its population share (see `suggested_bounds`).

    Answers without a share are left as they are. Returns how many answers were set.
    """
    with transaction.atomic():
        _ensure_editable(jury)
        size = panel_size_of(jury)
        values = [value for value in values_of(jury) if value.population_share is not None]
        if not values:
            raise QuotaError(_("Enter the population shares first: the suggestion uses them."))
        for value in values:
            value.minimum, value.maximum = suggested_bounds(value.population_share, size)
        CategoryValue.objects.bulk_update(values, ["minimum", "maximum"])
        summary = _("Set the quotas of %(count)s answers from the population shares.")
        _record(by, jury, "quotas.suggest", summary % {"count": len(values)})
    return len(values)
