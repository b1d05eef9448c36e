"""The pool against the quotas: what the draw reads, and what the quotas page shows.

The draw reads `quotas_for` and `pool_answers`; the quotas page reads `composition` and
`feasibility`. Changing the questions and quotas is `quotas`' business. Nothing here reads a
volunteer's contact details: only pseudonyms and answers.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _lazy

from juries.models import Answer, Category, CategoryValue, Recruitment, Volunteer
from juries.numbers import percent_value

from .feasibility import Feasibility, check_feasible

FEASIBILITY_TIME_LIMIT = 20.0


def panel_size_of(jury):
    """The number of seats to fill, without creating the jury's recruitment row on a read."""
    return Recruitment.objects.of(jury).panel_size


def values_of(jury):
    """The jury's answers (with their category), in the order the facilitators arranged them."""
    return (
        CategoryValue.objects.filter(category__jury=jury)
        .select_related("category")
        .order_by("category__position", "category_id", "position", "id")
    )


# --- what the draw reads ---------------------------------------------------------------------


def _maximum(value, panel_size):
    return panel_size if value.maximum is None else value.maximum


def quotas_for(jury, panel_size=None):
    """{(category name, answer label): (minimum, maximum)}, a missing maximum read as the panel
    size, in the order the facilitators arranged them."""
    size = panel_size_of(jury) if panel_size is None else panel_size
    return {(v.category.name, v.label): (v.minimum, _maximum(v, size)) for v in values_of(jury)}


def pool_answers(jury):
    """The pool's answers, one {category name: answer label} per volunteer in the pool, ordered by
    pseudonym. Two queries, however large the pool."""
    pool = Volunteer.objects.in_pool().filter(jury=jury)
    answers = {pk: {} for pk in pool.order_by("pseudonym").values_list("pk", flat=True)}
    rows = Answer.objects.filter(volunteer__in=pool).values_list(
        "volunteer_id", "category__name", "value__label"
    )
    for volunteer_id, category, label in rows:
        if volunteer_id in answers:  # joined the pool between the two queries
            answers[volunteer_id][category] = label
    return list(answers.values())


# --- the composition table -------------------------------------------------------------------


@dataclass
class ValueRow:
    """One answer: the pool's count and share (% of the pool), and its quota as seats and as %
    of the panel (what the quotas allow)."""

    value: CategoryValue
    pool_count: int
    pool_share: Decimal | None
    minimum: int
    maximum: int
    minimum_percent: Decimal | None
    maximum_percent: Decimal | None


@dataclass
class CategoryRows:
    """A category's rows and totals; `unanswered` counts pool members who gave no answer."""

    category: Category
    rows: list = field(default_factory=list)
    share_total: Decimal | None = None
    answered: int = 0
    unanswered: int = 0
    minimum_total: int = 0
    maximum_total: int = 0

    def add(self, value, pool_size, panel_size):
        low, high = value.minimum, _maximum(value, panel_size)
        pool_share = percent_value(value.pool_count, pool_size)
        percents = percent_value(low, panel_size), percent_value(high, panel_size)
        self.rows.append(ValueRow(value, value.pool_count, pool_share, low, high, *percents))
        self.answered += value.pool_count
        self.minimum_total += low
        self.maximum_total += high

    def close(self, pool_size):
        shares = [row.value.population_share for row in self.rows]
        self.share_total = sum(shares) if self.rows and None not in shares else None
        self.unanswered = max(pool_size - self.answered, 0)


@dataclass
class Composition:
    panel_size: int
    pool_size: int
    categories: list


def composition(jury):
    """The pool against the quotas, per category and answer, with totals. Four queries."""
    panel_size = panel_size_of(jury)
    pool = Volunteer.objects.in_pool().filter(jury=jury)
    pool_size = pool.count()
    blocks = {category.pk: CategoryRows(category) for category in jury.selection_categories.all()}
    counted = Count("answers", filter=Q(answers__volunteer__in=pool))
    for value in values_of(jury).annotate(pool_count=counted):
        blocks[value.category_id].add(value, pool_size, panel_size)
    for block in blocks.values():
        block.close(pool_size)
    return Composition(panel_size, pool_size, list(blocks.values()))


# --- feasibility ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotaCheck:
    """Whether the pool can meet the quotas: `state` is "no_categories", "no_pool",
    "pool_too_small", "timed_out" or "checked" (then `result` holds the `Feasibility`, whose
    `relaxation` maps each quota to change onto its proposed (min, max)); `message` says it in
    plain words."""

    state: str
    message: str
    result: Feasibility | None = None

    @property
    def feasible(self):
        return self.result is not None and self.result.feasible


CHECK_MESSAGES = {
    "no_categories": _lazy("There are no categories yet, so there are no quotas to check."),
    "no_pool": _lazy(
        "Nobody is in the pool yet (volunteers join it when they confirm their email address), "
        "so the quotas cannot be checked against it."
    ),
    "pool_too_small": _lazy(
        "The pool has fewer volunteers (%(count)s) than the panel has seats (%(size)s). "
        "Recruit more volunteers or choose a smaller panel."
    ),
    "timed_out": _lazy("The check took too long to finish. Reload the page to try again."),
    True: _lazy("These quotas can be met."),
    False: _lazy("These quotas cannot be met: no panel from this pool satisfies them all."),
}


def _unchecked_state(quotas, volunteers, panel_size):
    if not quotas:
        return "no_categories"
    if not volunteers:
        return "no_pool"
    return "pool_too_small" if len(volunteers) < panel_size else None


def feasibility(jury, *, time_limit=FEASIBILITY_TIME_LIMIT):
    """Check whether some panel from the pool meets every quota (see `check_feasible`)."""
    panel_size = panel_size_of(jury)
    quotas = quotas_for(jury, panel_size)
    volunteers = pool_answers(jury) if quotas else []
    state = _unchecked_state(quotas, volunteers, panel_size)
    if state is None:
        try:
            result = check_feasible(volunteers, quotas, panel_size, time_limit=time_limit)
        except TimeoutError:
            state = "timed_out"
        else:
            return QuotaCheck("checked", str(CHECK_MESSAGES[result.feasible]), result)
    return QuotaCheck(state, CHECK_MESSAGES[state] % {"count": len(volunteers), "size": panel_size})
