"""Whether any panel can meet the quotas, and if not, why and what to relax.

The check is an integer programme over profile counts (see `pool`): every quota may be missed by a
slack amount below its minimum or above its maximum, and the programme minimises the total slack.
Zero means a panel exists. Otherwise the quotas carrying slack are the ones in conflict and
"minimum - slack" / "maximum + slack" is the smallest relaxation, counted in panel seats.
"""

from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

from .pool import Quotas, add_count_columns, add_rows, build_pool, new_highs, panel_rows, solved


class QuotasInfeasible(ValueError):
    """No panel meets the quotas; carries the `Feasibility` report that says why."""

    def __init__(self, report):
        super().__init__(report.explanation)
        self.report = report


@dataclass(frozen=True)
class Feasibility:
    """The answer of `check_feasible`.

    `relaxation` maps each quota to change onto its proposed (min, max); `conflicts` lists those
    quotas in the order they were given; `explanation` says it in plain words.
    """

    feasible: bool
    explanation: str
    conflicts: list = field(default_factory=list)
    relaxation: dict = field(default_factory=dict)
    reasons: list = field(default_factory=list)


def check_feasible(volunteers, quotas: Quotas, panel_size, *, time_limit=30.0) -> Feasibility:
    """Whether some panel of `panel_size` volunteers meets every quota.

    `volunteers` is a list of dicts (category -> answer). Pure: no database, no side effects.
    Raises `TimeoutError` only if the solver cannot settle the question within `time_limit`.
    """
    return check_pool(build_pool(volunteers, quotas, panel_size), time_limit=time_limit)


def check_pool(pool, *, time_limit=30.0) -> Feasibility:
    """`check_feasible` for an already grouped pool."""
    if pool.volunteer_count < pool.panel_size:
        return Feasibility(
            False,
            f"The pool has {pool.volunteer_count} volunteers, fewer than the panel's "
            f"{pool.panel_size} seats. Recruit more volunteers or choose a smaller panel.",
        )
    slack = _minimise_slack(pool, time_limit)
    if not any(below or above for below, above in slack.values()):
        return Feasibility(True, "A panel can meet every quota.")
    return _report(pool, slack)


def _minimise_slack(pool, time_limit):
    """{quota: (seats below min, seats above max)} in a least-total-slack panel."""
    highs = new_highs(time_limit)
    add_count_columns(highs, pool)
    first = len(pool.profiles)
    keys = list(pool.quotas)
    columns = {key: (first + 2 * i, first + 2 * i + 1) for i, key in enumerate(keys)}
    count = 2 * len(keys)
    highs.addVars(count, np.zeros(count), np.full(count, float(pool.panel_size)))
    slack_columns = np.arange(first, first + count, dtype=np.int32)
    highs.changeColsCost(count, slack_columns, np.ones(count))
    add_rows(highs, panel_rows(pool, columns))
    highs.run()
    if not solved(highs):
        raise TimeoutError("The quota check did not finish in time; try again.")
    values = highs.getSolution().col_value
    return {
        key: (round(values[below]), round(values[above])) for key, (below, above) in columns.items()
    }


def _report(pool, slack):
    reasons, involved = _plain_reasons(pool)
    relaxation = {}
    lines = []
    for key, (below, above) in slack.items():
        if not below and not above:
            continue
        low, high = pool.quotas[key]
        relaxation[key] = (low - below, high + above)
        if below:
            lines.append(
                _("lower the minimum for %(quota)s from %(old)s to %(new)s")
                % {"quota": _name(key), "old": low, "new": low - below}
            )
        if above:
            lines.append(
                _("raise the maximum for %(quota)s from %(old)s to %(new)s")
                % {"quota": _name(key), "old": high, "new": high + above}
            )
    conflicts = [key for key in pool.quotas if key in relaxation or key in involved]
    names = ", ".join(f"{_name(key)} ({_bounds(pool.quotas[key])})" for key in conflicts)
    explanation = " ".join(
        [
            _("No panel of %(size)s can meet these quotas together: %(names)s.")
            % {"size": pool.panel_size, "names": names},
            *reasons,
            _("The smallest change that makes a panel possible: %(changes)s.")
            % {"changes": "; ".join(lines)},
        ]
    )
    return Feasibility(False, explanation, conflicts, relaxation, reasons)


def _plain_reasons(pool):
    """The simple arithmetic behind a conflict, where there is one to point at, and the quotas
    it involves."""
    reasons, involved = [], set()
    by_category = {}
    for key, bounds in pool.quotas.items():
        by_category.setdefault(key[0], []).append(key)
        available = sum(pool.profiles[p].size for p in pool.quota_members(key))
        if bounds[0] > available:
            involved.add(key)
            reasons.append(
                _(
                    "The minimum for %(quota)s is %(minimum)s but only %(available)s volunteers "
                    "in the pool have it."
                )
                % {"quota": _name(key), "minimum": bounds[0], "available": available}
            )
    for category, keys in by_category.items():
        minimums = sum(pool.quotas[key][0] for key in keys)
        maximums = sum(pool.quotas[key][1] for key in keys)
        if minimums > pool.panel_size:
            involved.update(key for key in keys if pool.quotas[key][0])
            reasons.append(
                _(
                    "The minimums for %(category)s add up to %(total)s, more than the %(size)s seats."
                )
                % {"category": category, "total": minimums, "size": pool.panel_size}
            )
        if maximums < pool.panel_size and _covers_everyone(pool, category):
            involved.update(keys)
            reasons.append(
                _(
                    "The maximums for %(category)s add up to %(total)s, fewer than the %(size)s seats."
                )
                % {"category": category, "total": maximums, "size": pool.panel_size}
            )
    return reasons, involved


def _covers_everyone(pool, category):
    """Whether every volunteer's answer for `category` has a quota (so its maximums bind)."""
    values = {value for cat, value in pool.quotas if cat == category}
    column = pool.categories.index(category)
    return all(profile.answers[column] in values for profile in pool.profiles)


def _bounds(bounds):
    return _("min %(minimum)s, max %(maximum)s") % {"minimum": bounds[0], "maximum": bounds[1]}


def _name(key):
    return f"{key[0]} = {key[1]}"
