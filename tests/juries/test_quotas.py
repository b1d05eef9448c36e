"""The questions-and-quotas services: categories, quotas, the pool's composition, feasibility."""

from decimal import Decimal

import pytest

from juries.models import (
    AuditEntry,
    Category,
    CategoryValue,
    Draw,
    Recruitment,
)
from juries.selection import pool_check, quotas

from .quota_helpers import add_volunteer, fill_pool


@pytest.fixture
def panel_of_ten(jury):
    Recruitment.objects.create(jury=jury, panel_size=10)
    return jury


@pytest.fixture
def gender(panel_of_ten, facilitator):
    category = quotas.add_category(
        panel_of_ten, facilitator, "Gender", "What is your gender?", ["Woman", "Man"]
    )
    woman, man = category.values.all()
    return category, woman, man


# --- categories ---------------------------------------------------------------------------------


def test_adding_a_category_keeps_its_answers_in_order_and_records_it(jury, facilitator):
    category = quotas.add_category(
        jury, facilitator, " Age ", "How old are you?", ["16-29", "", "30-64", "65+"]
    )

    assert category.name == "Age"
    assert [value.label for value in category.values.all()] == ["16-29", "30-64", "65+"]
    entry = AuditEntry.objects.get(action="selection.category.create")
    assert "Age" in entry.summary


def test_a_category_needs_two_different_answers(jury, facilitator):
    with pytest.raises(quotas.QuotaError, match="at least two answers"):
        quotas.add_category(jury, facilitator, "Age", "How old?", ["Any"])
    with pytest.raises(quotas.QuotaError, match="given twice"):
        quotas.add_category(jury, facilitator, "Age", "How old?", ["Young", "young"])
    assert not Category.objects.exists()


def test_two_categories_cannot_share_a_name(gender, facilitator):
    category, _woman, _man = gender

    with pytest.raises(quotas.QuotaError, match="already a category called") as error:
        quotas.add_category(category.jury, facilitator, "gender", "Again?", ["A", "B"])
    assert error.value.field == "name"


def test_editing_a_category_renames_reorders_and_adds_answers(gender, facilitator):
    category, woman, man = gender

    quotas.edit_category(
        category, facilitator, "Sex or gender", "Which describes you?", ["man", "Woman", "Other"]
    )

    labels = list(category.values.values_list("label", "position"))
    assert labels == [("man", 0), ("Woman", 1), ("Other", 2)]
    # Matched ignoring case: the same rows, so answers already given are kept.
    assert set(category.values.values_list("pk", flat=True)) >= {woman.pk, man.pk}
    category.refresh_from_db()
    assert category.name == "Sex or gender"


def test_an_answer_volunteers_gave_cannot_be_removed(gender, facilitator):
    category, woman, _man = gender
    add_volunteer(category.jury, 1, {category: woman})

    with pytest.raises(quotas.QuotaError, match="“Woman” cannot be removed"):
        quotas.edit_category(category, facilitator, "Gender", "?", ["Man", "Other"])
    with pytest.raises(quotas.QuotaError, match="cannot be removed"):
        quotas.delete_value(woman, facilitator)
    assert CategoryValue.objects.filter(pk=woman.pk).exists()


def test_a_category_someone_answered_cannot_be_deleted(gender, facilitator):
    category, woman, _man = gender
    add_volunteer(category.jury, 1, {category: woman})

    with pytest.raises(quotas.QuotaError, match="volunteers \\(1\\) have answered it"):
        quotas.delete_category(category, facilitator)
    assert Category.objects.filter(pk=category.pk).exists()


def test_an_unanswered_category_is_deleted_with_its_answers(gender, facilitator):
    category, _woman, _man = gender

    quotas.delete_category(category, facilitator)

    assert not Category.objects.exists()
    assert not CategoryValue.objects.exists()
    assert AuditEntry.objects.filter(action="selection.category.delete").exists()


def test_answers_are_added_at_the_end_and_deleted_while_two_remain(gender, facilitator):
    category, woman, _man = gender

    other = quotas.add_value(category, facilitator, "Another way", Decimal("2"))
    assert list(category.values.values_list("label", flat=True)) == ["Woman", "Man", "Another way"]
    with pytest.raises(quotas.QuotaError, match="given twice"):
        quotas.add_value(category, facilitator, "woman")

    quotas.delete_value(other, facilitator)
    with pytest.raises(quotas.QuotaError, match="at least two answers"):
        quotas.delete_value(woman, facilitator)


# --- quotas -------------------------------------------------------------------------------------


def test_quotas_are_saved_and_read_back_for_the_draw(gender, facilitator):
    category, woman, man = gender

    warnings = quotas.set_quotas(
        category.jury,
        facilitator,
        {woman.pk: (Decimal("51"), 4, 6), man.pk: (Decimal("49"), 4, None)},
    )

    assert warnings == []
    # No maximum means the panel size.
    assert pool_check.quotas_for(category.jury) == {
        ("Gender", "Woman"): (4, 6),
        ("Gender", "Man"): (4, 10),
    }
    assert AuditEntry.objects.filter(action="selection.quotas.edit").count() == 1


def test_quotas_outside_the_panel_are_refused_with_a_message_per_row(gender, facilitator):
    category, woman, man = gender

    with pytest.raises(quotas.QuotaError) as error:
        quotas.set_quotas(
            category.jury,
            facilitator,
            {woman.pk: (Decimal("120"), 6, 4), man.pk: (None, 11, 12)},
        )

    errors = error.value.errors
    assert errors[woman.pk, "share"] == (
        "The share of the population for Gender: Woman must be between 0 and 100."
    )
    assert errors[woman.pk, "max"] == (
        "The maximum for Gender: Woman is 4, less than its minimum of 6."
    )
    assert errors[man.pk, "min"] == (
        "The minimum for Gender: Man is 11, more than the panel's 10 seats."
    )
    assert errors[man.pk, "max"] == (
        "The maximum for Gender: Man is 12, more than the panel's 10 seats."
    )
    woman.refresh_from_db()
    assert (woman.population_share, woman.minimum, woman.maximum) == (None, 0, None)


def test_shares_that_do_not_add_up_to_100_are_saved_with_a_warning(gender, facilitator):
    category, woman, man = gender

    warnings = quotas.set_quotas(
        category.jury,
        facilitator,
        {woman.pk: (Decimal("50"), 0, None), man.pk: (Decimal("45.5"), 0, None)},
    )

    assert warnings == [
        "The population shares for Gender add up to 95.5%, not 100%. "
        "The quotas were saved; check the shares."
    ]
    man.refresh_from_db()
    assert man.population_share == Decimal("45.5")


def test_quotas_are_fixed_once_a_draw_is_published(gender, facilitator):
    category, woman, man = gender
    Draw.objects.create(jury=category.jury, panel_size=10, state="published")

    for change in (
        lambda: quotas.set_quotas(category.jury, facilitator, {woman.pk: (None, 1, 5)}),
        lambda: quotas.suggest_quotas(category.jury, facilitator),
        lambda: quotas.add_category(category.jury, facilitator, "Age", "?", ["Young", "Old"]),
        lambda: quotas.edit_category(category, facilitator, "Gender", "?", ["Woman", "Man", "X"]),
        lambda: quotas.delete_category(category, facilitator),
        lambda: quotas.add_value(category, facilitator, "Other"),
        lambda: quotas.delete_value(man, facilitator),
    ):
        with pytest.raises(quotas.QuotaError, match="cannot be changed while a lottery"):
            change()
    woman.refresh_from_db()
    assert woman.minimum == 0
    assert category.values.count() == 2


@pytest.mark.parametrize("state", ["queued", "running", "computed"])
def test_a_draw_in_progress_or_computed_fixes_the_quotas_it_stands_on(gender, facilitator, state):
    category, woman, _man = gender
    Draw.objects.create(jury=category.jury, panel_size=10, state=state)

    with pytest.raises(quotas.QuotaError, match="cancel the lottery"):
        quotas.set_quotas(category.jury, facilitator, {woman.pk: (None, 1, 5)})

    woman.refresh_from_db()
    assert woman.minimum == 0


@pytest.mark.parametrize("state", ["cancelled", "failed"])
def test_a_cancelled_or_failed_draw_leaves_the_quotas_free(gender, facilitator, state):
    category, woman, _man = gender
    Draw.objects.create(jury=category.jury, panel_size=10, state=state)

    quotas.set_quotas(category.jury, facilitator, {woman.pk: (None, 1, 5)})

    woman.refresh_from_db()
    assert (woman.minimum, woman.maximum) == (1, 5)


def test_suggested_quotas_bracket_the_population_share(gender, facilitator):
    category, woman, man = gender
    quotas.set_quotas(
        category.jury,
        facilitator,
        {woman.pk: (Decimal("51"), 0, None), man.pk: (Decimal("49"), 0, None)},
    )

    assert quotas.suggest_quotas(category.jury, facilitator) == 2

    # 51% of 10 seats is 5.1: rounded down less one, rounded up plus one.
    assert pool_check.quotas_for(category.jury) == {
        ("Gender", "Woman"): (4, 7),
        ("Gender", "Man"): (3, 6),
    }


def test_suggested_quotas_stay_within_the_panel():
    assert quotas.suggested_bounds(Decimal("3"), 10) == (0, 2)
    assert quotas.suggested_bounds(Decimal("100"), 10) == (9, 10)
    assert quotas.suggested_bounds(Decimal("0"), 10) == (0, 1)


def test_suggesting_needs_population_shares(gender, facilitator):
    category, _woman, _man = gender

    with pytest.raises(quotas.QuotaError, match="population shares first"):
        quotas.suggest_quotas(category.jury, facilitator)


# --- what the draw and the page read ------------------------------------------------------------


def test_pool_answers_cover_only_the_pool_in_pseudonym_order(gender, django_assert_num_queries):
    category, woman, man = gender
    jury = category.jury
    kept = [add_volunteer(jury, n, {category: woman if n % 2 else man}) for n in range(1, 6)]
    add_volunteer(jury, 10, {category: woman}, confirmed=False)
    add_volunteer(jury, 11, {category: woman}, withdrawn=True)
    no_answer = add_volunteer(jury, 12, {})

    with django_assert_num_queries(2):
        answers = pool_check.pool_answers(jury)

    ordered = sorted([*kept, no_answer], key=lambda volunteer: volunteer.pseudonym)
    expected = [
        {} if volunteer == no_answer else {"Gender": "Woman" if volunteer in kept[::2] else "Man"}
        for volunteer in ordered
    ]
    assert answers == expected


def test_composition_counts_the_pool_against_the_quotas(gender, facilitator):
    category, woman, man = gender
    jury = category.jury
    quotas.set_quotas(
        jury, facilitator, {woman.pk: (Decimal("51"), 4, 6), man.pk: (Decimal("49"), 3, None)}
    )
    fill_pool(jury, category, {woman: 3, man: 5})
    add_volunteer(jury, 99, {})  # in the pool, no answer
    add_volunteer(jury, 98, {category: woman}, confirmed=False)  # not in the pool

    result = pool_check.composition(jury)

    assert (result.panel_size, result.pool_size) == (10, 9)
    [block] = result.categories
    woman_row, man_row = block.rows
    assert (woman_row.pool_count, woman_row.pool_share) == (3, Decimal("33.3"))
    assert (man_row.pool_count, man_row.pool_share) == (5, Decimal("55.6"))
    assert (woman_row.minimum, woman_row.maximum) == (4, 6)
    assert (woman_row.minimum_percent, woman_row.maximum_percent) == (
        Decimal("40.0"),
        Decimal("60.0"),
    )
    assert (man_row.minimum, man_row.maximum, man_row.maximum_percent) == (3, 10, Decimal("100.0"))
    assert block.share_total == Decimal("100")
    assert (block.answered, block.unanswered) == (8, 1)
    assert (block.minimum_total, block.maximum_total) == (7, 16)


def test_composition_takes_the_same_queries_for_any_pool(gender, django_assert_num_queries):
    category, woman, man = gender
    fill_pool(category.jury, category, {woman: 2, man: 2})
    with django_assert_num_queries(4):
        pool_check.composition(category.jury)
    fill_pool(category.jury, category, {woman: 20, man: 20})
    with django_assert_num_queries(4):
        pool_check.composition(category.jury)


def test_feasibility_says_when_there_is_nothing_to_check(jury, gender):
    assert pool_check.feasibility(jury).state == "no_pool"
    category, woman, man = gender
    fill_pool(jury, category, {woman: 2, man: 2})
    check = pool_check.feasibility(jury)
    assert check.state == "pool_too_small"
    assert check.message.startswith(
        "The pool has fewer volunteers (4) than the panel has seats (10)."
    )


def test_feasibility_without_categories(jury):
    check = pool_check.feasibility(jury)

    assert check.state == "no_categories"
    assert not check.feasible


def test_feasibility_reports_the_conflict_and_its_relaxation(gender, facilitator):
    category, woman, man = gender
    fill_pool(category.jury, category, {woman: 5, man: 15})
    quotas.set_quotas(category.jury, facilitator, {woman.pk: (None, 8, None)})

    check = pool_check.feasibility(category.jury)

    assert check.state == "checked"
    assert not check.feasible
    assert check.result.relaxation == {("Gender", "Woman"): (5, 10)}
    assert any("only 5 volunteers" in reason for reason in check.result.reasons)


def test_feasibility_when_the_quotas_can_be_met(gender, facilitator):
    category, woman, man = gender
    fill_pool(category.jury, category, {woman: 6, man: 14})
    quotas.set_quotas(category.jury, facilitator, {woman.pk: (None, 4, 6), man.pk: (None, 4, 6)})

    check = pool_check.feasibility(category.jury)

    assert check.feasible
    assert check.message == "These quotas can be met."
