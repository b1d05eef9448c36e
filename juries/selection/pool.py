"""The pool seen by the selection algorithms: volunteers grouped into profiles, and quotas.

Volunteers who give identical answers on every quota category are interchangeable: any rule that
treats them alike gives them the same selection probability. So the algorithms work over
*profiles* (one per distinct combination of answers) and a panel is a vector of counts, one per
profile, between 0 and the profile's size. Members are later drawn uniformly within a profile.

Also here: the few HiGHS helpers the algorithms share, so each solver call is built the same way
(quiet, time-limited, panel constraints expressed once).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import highspy
import numpy as np

INF = highspy.kHighsInf

# A quota is keyed by (category, value) and bounds how many panel members have that value.
QuotaKey = tuple[str, str]
Quotas = Mapping[QuotaKey, tuple[int, int]]


@dataclass(frozen=True)
class Profile:
    """One combination of answers (in `Pool.categories` order) and the volunteers who gave it."""

    answers: tuple[str, ...]
    members: tuple[int, ...]

    @property
    def size(self):
        return len(self.members)


@dataclass(frozen=True)
class Pool:
    """Volunteers grouped into profiles, with the quotas and panel size they are drawn under."""

    categories: tuple[str, ...]
    profiles: tuple[Profile, ...]
    quotas: Mapping[QuotaKey, tuple[int, int]]
    panel_size: int

    @property
    def volunteer_count(self):
        return sum(profile.size for profile in self.profiles)

    def has(self, profile_index, key):
        """Whether the profile's members carry the quota's value."""
        category, value = key
        return self.profiles[profile_index].answers[self.categories.index(category)] == value

    def quota_members(self, key):
        """Indices of the profiles counted by one quota."""
        return [p for p in range(len(self.profiles)) if self.has(p, key)]

    def panel_problems(self, counts):
        """What is wrong with a panel given as counts per profile; empty when it is valid."""
        problems = []
        if sum(counts) != self.panel_size:
            problems.append(f"has {sum(counts)} members, not {self.panel_size}")
        for p, count in enumerate(counts):
            if not 0 <= count <= self.profiles[p].size:
                problems.append(f"takes {count} from a profile of {self.profiles[p].size}")
        for key, (low, high) in self.quotas.items():
            got = sum(counts[p] for p in self.quota_members(key))
            if not low <= got <= high:
                problems.append(f"has {got} for {key[0]}={key[1]}, outside {low}..{high}")
        return problems


def build_pool(volunteers: Sequence[Mapping[str, str]], quotas: Quotas, panel_size: int) -> Pool:
    """Group volunteers (dicts of category -> answer) into profiles over the quota categories.

    Profiles keep first-seen order and members keep list order, so the same input always gives
    the same pool (the public draw depends on it). Answers outside the quota categories are
    ignored; a missing answer counts as the value "" (which no quota names).
    """
    categories = tuple(sorted({category for category, _ in quotas}))
    groups: dict[tuple[str, ...], list[int]] = {}
    for index, volunteer in enumerate(volunteers):
        answers = tuple(str(volunteer.get(category, "")) for category in categories)
        groups.setdefault(answers, []).append(index)
    profiles = tuple(Profile(answers, tuple(members)) for answers, members in groups.items())
    return Pool(categories, profiles, dict(quotas), panel_size)


def new_highs(time_limit):
    """A quiet HiGHS instance that gives up after `time_limit` seconds."""
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", max(float(time_limit), 0.01))
    return highs


def limit_time(highs, seconds):
    """Let the next run take `seconds`. HiGHS measures its time limit against the instance's
    total running time across runs, not the current run's, so reused instances need this."""
    highs.setOptionValue("time_limit", highs.getRunTime() + max(float(seconds), 0.01))


def add_rows(highs, rows):
    """Add rows given as (lower, upper, {column: coefficient})."""
    for lower, upper, coefficients in rows:
        columns = np.array(list(coefficients), dtype=np.int32)
        values = np.array(list(coefficients.values()), dtype=np.float64)
        highs.addRow(lower, upper, len(columns), columns, values)


def add_count_columns(highs, pool, integer=True):
    """One column per profile: how many of its members sit on the panel (0..size)."""
    count = len(pool.profiles)
    highs.addVars(count, np.zeros(count), np.array([float(p.size) for p in pool.profiles]))
    if integer:
        kinds = np.array([highspy.HighsVarType.kInteger] * count)
        highs.changeColsIntegrality(count, np.arange(count, dtype=np.int32), kinds)


def panel_rows(pool, slack_columns=None):
    """The panel's constraints over the count columns: size, then each quota.

    With `slack_columns` ({quota: (below_column, above_column)}) each quota may be missed by the
    amount in those columns; the feasibility check minimises their sum.
    """
    everyone = dict.fromkeys(range(len(pool.profiles)), 1.0)
    rows = [(float(pool.panel_size), float(pool.panel_size), everyone)]
    for key, (low, high) in pool.quotas.items():
        coefficients = dict.fromkeys(pool.quota_members(key), 1.0)
        if slack_columns is None:
            rows.append((float(low), float(high), coefficients))
        else:
            below, above = slack_columns[key]
            rows.append((float(low), INF, {**coefficients, below: 1.0}))
            rows.append((-INF, float(high), {**coefficients, above: -1.0}))
    return rows


def solved(highs):
    """Whether the last run finished with a proven optimum."""
    return highs.getModelStatus() == highspy.HighsModelStatus.kOptimal


def status(highs):
    return highs.modelStatusToString(highs.getModelStatus())
