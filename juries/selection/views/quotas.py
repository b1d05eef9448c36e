"""The jury's questions and quotas: the composition of the pool against them, whether they can
be met, and the pages that change them.

Observers (VIEW_SELECTION) read the quotas page in aggregate; facilitators change it while they
may manage recruitment (MANAGE_RECRUITMENT) and until a draw has been published.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from juries import refusals
from juries.idempotency import once
from juries.permissions import Action, get_jury_for

from .. import disclosure, figures, pool_check, quotas
from ..forms.quotas import CategoryForm, MergeAnswersForm, QuotasForm

LOWER = _lazy("Lower the minimum for %(name)s from %(old)s to %(new)s.")
RAISE = _lazy("Raise the maximum for %(name)s from %(old)s to %(new)s.")
CONFLICT = _lazy("%(name)s (at least %(low)s, at most %(high)s)")


def _quota_name(key):
    return f"{key[0]}: {key[1]}"


def _conflict_box(check, quota_bounds):
    """The conflicting quotas and the smallest relaxation of an infeasible check, in sentences."""
    result = check.result
    if result is None or result.feasible:
        return {"conflicts": [], "changes": []}
    conflicts = []
    for key in result.conflicts:
        low, high = quota_bounds[key]
        conflicts.append(CONFLICT % {"name": _quota_name(key), "low": low, "high": high})
    changes = [
        text % {"name": _quota_name(key), "old": old, "new": new}
        for key, bounds in result.relaxation.items()
        for text, old, new in zip((LOWER, RAISE), quota_bounds[key], bounds, strict=True)
        if old != new
    ]
    return {"conflicts": conflicts, "changes": changes}


def _save_quotas(request, jury, form):
    """Save the form's rows; True when saved (the form carries the errors otherwise)."""
    try:
        warnings = quotas.set_quotas(jury, request.user, form.rows())
    except quotas.QuotaError as error:
        form.add_row_errors(error.errors)
        if not error.errors:
            form.add_error(None, str(error))
        return False
    messages.success(request, _("The quotas have been saved."))
    for warning in warnings:
        messages.warning(request, warning)
    return True


def _suggest(request, jury):
    try:
        count = quotas.suggest_quotas(jury, request.user)
    except refusals.Refused as error:
        refusals.show(request, error)
    else:
        messages.success(
            request,
            _(
                "Minimums and maximums for %(count)s answers were worked out from the population "
                "shares. Check them before a draw."
            )
            % {"count": count},
        )
    return redirect("juries:quotas", jury.slug)


@login_required
@require_http_methods(["GET", "POST"])
@once
def quota_page(request, slug):
    posting = request.method == "POST"
    action = Action.MANAGE_RECRUITMENT if posting else Action.VIEW_SELECTION
    access = get_jury_for(request.user, slug, action=action)
    jury = access.jury
    fixed = quotas.quotas_are_fixed(jury)
    if posting and fixed:
        messages.error(request, str(quotas.FIXED))
        return redirect("juries:quotas", slug)
    if posting and "suggest" in request.POST:
        return _suggest(request, jury)
    composition = pool_check.composition(jury)
    form = None
    if access.may[Action.MANAGE_RECRUITMENT] and not fixed:
        form = QuotasForm(request.POST if posting else None, composition=composition)
        if posting and form.is_valid() and _save_quotas(request, jury, form):
            return redirect("juries:quotas", slug)
    check = pool_check.feasibility(jury)
    return render(
        request,
        "juries/selection/quota_page.html",
        {
            "access": access,
            "jury": jury,
            "composition": composition,
            "blocks": _blocks(composition, form),
            "form": form,
            "fixed": fixed,
            "check": check,
            "small_groups": None if fixed else _small_groups(jury, composition),
            "smallest_group": disclosure.SMALLEST_GROUP,
            **_conflict_box(check, _bounds(composition)),
        },
    )


def _small_groups(jury, composition):
    """Volunteers in combinations of answers too rare to publish safely
    (`juries.selection.disclosure`)."""
    names = [block.category.name for block in composition.categories]
    return disclosure.small_groups(pool_check.pool_answers(jury), names) if names else None


def _bounds(composition):
    """{(category, answer): (minimum, maximum)} as the check read them."""
    return {
        (block.category.name, row.value.label): (row.minimum, row.maximum)
        for block in composition.categories
        for row in block.rows
    }


def _blocks(composition, form):
    """Each category's rows, with the row's inputs when the page is editable, and its chart of
    the quotas against the population and the pool (as saved)."""
    return [
        {
            "category": block.category,
            "totals": block,
            "rows": [(row, form.cells(row.value) if form else None) for row in block.rows],
            "chart": figures.quotas_chart(block, index, composition.panel_size)
            if block.rows
            else None,
        }
        for index, block in enumerate(composition.categories)
    ]


def _manager_access(request, slug):
    """The jury, for someone who may change its questions now; None (with a message) once a
    published draw has fixed them."""
    access = get_jury_for(request.user, slug, action=Action.MANAGE_RECRUITMENT)
    if quotas.quotas_are_fixed(access.jury):
        messages.error(request, str(quotas.FIXED))
        return None
    return access


def _save_category(request, jury, category, form):
    data = form.cleaned_data
    fields = (data["name"], data["question"], data["values"])
    try:
        if category is None:
            category = quotas.add_category(jury, request.user, *fields)
        else:
            category = quotas.edit_category(category, request.user, *fields)
    except quotas.QuotaError as error:
        form.add_service_error(error)
        return None
    messages.success(request, _("The category “%(name)s” has been saved.") % {"name": category})
    return category


@login_required
@require_http_methods(["GET", "POST"])
@once
def category_edit(request, slug, category_id=None):
    access = _manager_access(request, slug)
    if access is None:
        return redirect("juries:quotas", slug)
    jury = access.jury
    category = None
    if category_id is not None:
        category = get_object_or_404(jury.selection_categories, pk=category_id)
    posting = request.method == "POST"
    form = CategoryForm(request.POST if posting else None, category=category)
    if posting and form.is_valid() and _save_category(request, jury, category, form):
        return redirect("juries:quotas", slug)
    return render(
        request,
        "juries/selection/quota_category_form.html",
        {"access": access, "jury": jury, "category": category, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
@once
def category_delete(request, slug, category_id):
    access = _manager_access(request, slug)
    if access is None:
        return redirect("juries:quotas", slug)
    jury = access.jury
    category = get_object_or_404(jury.selection_categories, pk=category_id)
    if request.method == "POST":
        try:
            quotas.delete_category(category, request.user)
        except refusals.Refused as error:
            refusals.show(request, error)
        else:
            messages.success(
                request, _("The category “%(name)s” has been deleted.") % {"name": category.name}
            )
        return redirect("juries:quotas", slug)
    return render(
        request,
        "juries/selection/quota_category_delete.html",
        {
            "access": access,
            "jury": jury,
            "category": category,
            "answered": category.answers.count(),
        },
    )


def _pool_counts(jury, category):
    """{answer id: volunteers in the pool who gave it}, from the composition the page shows."""
    for block in pool_check.composition(jury).categories:
        if block.category.pk == category.pk:
            return {row.value.pk: row.pool_count for row in block.rows}
    return {}


@login_required
@require_http_methods(["GET", "POST"])
@once
def category_merge(request, slug, category_id):
    """Merge answers into a broader one, so nobody is in a group small enough to recognise."""
    access = _manager_access(request, slug)
    if access is None:
        return redirect("juries:quotas", slug)
    jury = access.jury
    category = get_object_or_404(jury.selection_categories, pk=category_id)
    posting = request.method == "POST"
    form = MergeAnswersForm(
        request.POST if posting else None,
        category=category,
        pool_counts=_pool_counts(jury, category),
    )
    if posting and form.is_valid():
        data = form.cleaned_data
        try:
            merged = quotas.merge_values(category, request.user, data["values"], data["label"])
        except quotas.QuotaError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("The answers have been merged into “%(label)s”. Check its quota below.")
                % {"label": merged.label},
            )
            return redirect("juries:quotas", slug)
    return render(
        request,
        "juries/selection/quota_category_merge.html",
        {"access": access, "jury": jury, "category": category, "form": form},
    )


PREFIX = "juries/<slug:slug>/manage/selection/quotas/"

urlpatterns = [
    path(PREFIX, quota_page, name="quotas"),
    path(f"{PREFIX}categories/new/", category_edit, name="category-create"),
    path(f"{PREFIX}categories/<int:category_id>/edit/", category_edit, name="category-edit"),
    path(f"{PREFIX}categories/<int:category_id>/delete/", category_delete, name="category-delete"),
    path(f"{PREFIX}categories/<int:category_id>/merge/", category_merge, name="category-merge"),
]
