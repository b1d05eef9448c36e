"""The LEXIMIN selection algorithm, checked against published results and independent solvers."""

import csv
import os
import time
from collections import Counter
from pathlib import Path

import highspy
import numpy as np
import pytest

from juries.selection import (
    QuotasInfeasible,
    SelectionCancelled,
    SelectionTimeout,
    check_feasible,
    find_distribution,
    leximin,
)
from tests.selection.pools import skewed_pool


def _data_folder():
    """The public instances: `SORTITION_DATA` if set, else `../shared/data/sortition` beside the
    checkout, else the team machines' shared folder (a clone made elsewhere, as CI does)."""
    candidates = [
        os.environ.get("SORTITION_DATA", ""),
        Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "sortition",
        "/work/shared/data/sortition",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return Path(candidates[1])


DATA = _data_folder()


def read_instance(name):
    folder = DATA / name
    with open(folder / "categories.csv", newline="") as f:
        quotas = {
            (row["category"], row["feature"]): (int(row["min"]), int(row["max"]))
            for row in csv.DictReader(f)
        }
    with open(folder / "respondents.csv", newline="") as f:
        volunteers = list(csv.DictReader(f))
    with open(DATA / "reference_output" / f"{name}_prob_allocs_data.csv", newline="") as f:
        published = [
            float(row["selection probability"])
            for row in csv.DictReader(f)
            if row["algorithm"] == "LexiMin"
        ]
    return volunteers, quotas, published


@pytest.mark.skipif(not DATA.is_dir(), reason=f"the public instances are not at {DATA}")
@pytest.mark.parametrize(
    ("name", "panel_size"), [("example_small_20", 20), ("example_large_200", 200)]
)
def test_public_instances_reproduce_the_published_leximin_probabilities(name, panel_size):
    volunteers, quotas, published = read_instance(name)

    started = time.monotonic()
    result = find_distribution(volunteers, quotas, panel_size, time_limit=60)
    elapsed = time.monotonic() - started
    print(f"{name}: {len(volunteers)} -> {panel_size} in {elapsed:.3f} s")

    assert result.complete
    ours = sorted(result.volunteer_probabilities())
    assert len(ours) == len(published)
    assert max(abs(a - b) for a, b in zip(ours, published, strict=True)) <= 1e-4


def meets_quotas(volunteers, members, quotas, panel_size):
    if len(members) != panel_size or len(set(members)) != panel_size:
        return False
    for (category, value), (low, high) in quotas.items():
        seats = sum(1 for i in members if volunteers[i][category] == value)
        if not low <= seats <= high:
            return False
    return True


def expand(result, counts):
    """One concrete panel for a count vector: the first `count` members of each profile."""
    return [i for p, c in zip(result.pool.profiles, counts, strict=True) for i in p.members[:c]]


class MaximinCertificate:
    """An upper bound on the maximin probability, written apart from the code under test.

    For any weights y >= 0 summing to 1 over volunteer types, no distribution can give every
    type at least max over panels of sum_t y_t * seats_t / size_t (weak duality). Column generation
    on the primal LP finds good weights; an integer programme over seat counts per type finds that
    maximum exactly.
    """

    def __init__(self, volunteers, quotas, panel_size):
        categories = sorted({c for c, _ in quotas})
        self.types = Counter(tuple(v[c] for c in categories) for v in volunteers)
        self.keys = list(self.types)
        self.sizes = np.array([self.types[t] for t in self.keys], dtype=float)
        self.search = highspy.Highs()
        self.search.setOptionValue("output_flag", False)
        self.search.setOptionValue("mip_rel_gap", 0.0)
        self.search.setOptionValue("mip_abs_gap", 1e-10)
        n = len(self.keys)
        self.search.addVars(n, np.zeros(n), self.sizes)
        integer = np.array([highspy.HighsVarType.kInteger] * n)
        self.search.changeColsIntegrality(n, np.arange(n, dtype=np.int32), integer)
        self.search.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.add_row(panel_size, panel_size, range(n))
        for (category, value), (low, high) in quotas.items():
            column = categories.index(category)
            self.add_row(low, high, [i for i, t in enumerate(self.keys) if t[column] == value])

    def add_row(self, low, high, columns):
        columns = np.array(list(columns), dtype=np.int32)
        self.search.addRow(low, high, len(columns), columns, np.ones(len(columns)))

    def best_panel(self, weights):
        n = len(self.keys)
        self.search.changeColsCost(n, np.arange(n, dtype=np.int32), weights / self.sizes)
        self.search.run()
        assert self.search.getModelStatus() == highspy.HighsModelStatus.kOptimal
        panel = np.rint(self.search.getSolution().col_value)
        return panel, self.search.getInfo().mip_dual_bound

    def upper_bound(self):
        n = len(self.keys)
        panels = [self.best_panel(np.ones(n))[0]]
        bound = 1.0
        for _ in range(2000):
            value, weights = self.restricted_maximin(panels)
            panel, top = self.best_panel(weights)
            bound = min(bound, top)
            if top <= value + 1e-9:
                return bound
            panels.append(panel)
        raise AssertionError("the certificate did not converge")

    def restricted_maximin(self, panels):
        """max z such that some mix of `panels` gives every type at least z; returns the
        value and the weights (row duals, which sum to 1 over the types)."""
        n, m = len(self.keys), len(panels)
        lp = highspy.Highs()
        lp.setOptionValue("output_flag", False)
        lp.addVars(m + 1, np.zeros(m + 1), np.full(m + 1, highspy.kHighsInf))
        lp.changeColsCost(1, np.array([m], dtype=np.int32), np.array([1.0]))
        lp.changeObjectiveSense(highspy.ObjSense.kMaximize)
        for t in range(n):
            columns = np.array(list(range(m)) + [m], dtype=np.int32)
            values = np.array([panel[t] / self.sizes[t] for panel in panels] + [-1.0])
            lp.addRow(0.0, highspy.kHighsInf, m + 1, columns, values)
        lp.addRow(1.0, 1.0, m, np.arange(m, dtype=np.int32), np.ones(m))
        lp.run()
        assert lp.getModelStatus() == highspy.HighsModelStatus.kOptimal
        duals = np.abs(np.array(lp.getSolution().row_dual[:n]))
        return lp.getInfo().objective_function_value, duals / duals.sum()


@pytest.fixture(scope="module")
def skewed():
    volunteers, quotas = skewed_pool(1000, 24)
    levels = []
    started = time.monotonic()
    result = find_distribution(
        volunteers, quotas, 24, time_limit=120, progress=lambda n, _: levels.append(n)
    )
    elapsed = time.monotonic() - started
    print(
        f"skewed 1000 -> 24: {len(result.pool.profiles)} profiles, {len(result.levels)} levels, "
        f"{len(result.panels)} panels in {elapsed:.2f} s"
    )
    return volunteers, quotas, result, levels


def test_skewed_pool_gets_a_valid_distribution_at_the_maximin_optimum(skewed):
    volunteers, quotas, result, _ = skewed

    assert result.complete
    for counts in result.panels:
        assert meets_quotas(volunteers, expand(result, counts), quotas, 24)
    assert abs(sum(result.probabilities) - 1) <= 1e-6
    assert all(p > 0 for p in result.probabilities)
    chance = [0.0] * len(volunteers)
    for counts, probability in zip(result.panels, result.probabilities, strict=True):
        for i in expand(result, counts):
            chance[i] += probability
    # Within a profile members are drawn uniformly, so each gets the profile's average.
    for profile in result.pool.profiles:
        average = sum(chance[i] for i in profile.members) / profile.size
        for i in profile.members:
            chance[i] = average
    assert abs(sum(chance) - 24) <= 1e-6
    assert (
        max(abs(a - b) for a, b in zip(chance, result.volunteer_probabilities(), strict=True))
        <= 1e-9
    )

    started = time.monotonic()
    optimum = MaximinCertificate(volunteers, quotas, 24).upper_bound()
    print(f"independent maximin bound {optimum:.9f} in {time.monotonic() - started:.2f} s")
    assert abs(min(chance) - optimum) <= 1e-6


def test_skewed_pool_levels_rise_and_are_reported_as_they_are_fixed(skewed):
    _, _, result, levels = skewed

    assert levels == list(range(1, len(result.levels) + 1))
    assert result.levels == sorted(result.levels)
    assert len(result.levels) > 1
    assert result.lowest >= result.levels[0] - 1e-7
    # Over-represented volunteers are the worst off, below k/n; the under-represented are above.
    assert result.lowest < 24 / 1000 < max(result.profile_probabilities)


class SkippingClock:
    """The leximin module's clock, which a test can move forward in an instant."""

    def __init__(self):
        self.skipped = 0.0

    def monotonic(self):
        return time.monotonic() + self.skipped


def test_when_time_runs_out_after_the_first_level_the_result_says_which_levels_hold(
    monkeypatch,
):
    volunteers, quotas = skewed_pool(400, 12, seed=3)
    clock = SkippingClock()
    monkeypatch.setattr(leximin, "time", clock)

    def out_of_time_after_first_level(levels, elapsed):
        if levels == 1:
            clock.skipped += 10_000

    result = find_distribution(
        volunteers, quotas, 12, time_limit=1000, progress=out_of_time_after_first_level
    )

    assert not result.complete
    assert len(result.levels) == 1
    assert abs(sum(result.probabilities) - 1) <= 1e-6
    assert result.lowest >= result.levels[0] - 1e-7


def test_a_draw_that_cannot_reach_the_maximin_level_in_time_is_refused():
    volunteers, quotas = skewed_pool(400, 12, seed=3)

    with pytest.raises(SelectionTimeout):
        find_distribution(volunteers, quotas, 12, time_limit=0.000001)


def test_a_draw_asked_to_stop_midway_is_cancelled():
    volunteers, quotas = skewed_pool(400, 12, seed=3)
    asked = []

    def stop_on_the_tenth_question():
        asked.append(True)
        return len(asked) >= 10

    with pytest.raises(SelectionCancelled):
        find_distribution(volunteers, quotas, 12, should_stop=stop_on_the_tenth_question)

    assert len(asked) == 10


def test_a_draw_asked_to_stop_before_it_starts_is_cancelled_with_no_solver_work(monkeypatch):
    volunteers, quotas = skewed_pool(400, 12, seed=3)
    monkeypatch.setattr(leximin, "check_pool", None)  # any solver work would fail loudly

    with pytest.raises(SelectionCancelled):
        find_distribution(volunteers, quotas, 12, should_stop=lambda: True)


def test_a_draw_never_asked_to_stop_reports_every_level():
    volunteers, quotas = skewed_pool(400, 12, seed=3)
    asked = []
    levels = []

    result = find_distribution(
        volunteers,
        quotas,
        12,
        should_stop=lambda: asked.append(True) or False,
        progress=lambda n, _: levels.append(n),
    )

    assert result.complete
    assert levels == list(range(1, len(result.levels) + 1))
    assert len(asked) > len(levels)


def every_panel(types, sizes, quotas, categories, panel_size):
    """Every quota-meeting panel, as seats per type, by plain enumeration."""
    panels = []

    def extend(prefix, seats_left):
        t = len(prefix)
        if t == len(types):
            members = {
                key: sum(
                    c
                    for c, ty in zip(prefix, types, strict=True)
                    if ty[categories.index(key[0])] == key[1]
                )
                for key in quotas
            }
            if seats_left == 0 and all(lo <= members[k] <= hi for k, (lo, hi) in quotas.items()):
                panels.append(prefix)
            return
        for c in range(min(sizes[t], seats_left) + 1):
            extend((*prefix, c), seats_left - c)

    extend((), panel_size)
    return panels


def best_share(panels, sizes, floors, target):
    """Over all mixes of `panels` giving each type t at least floors[t], the largest value of
    min over `target` types of their chance; returns that value."""
    n, m = len(sizes), len(panels)
    lp = highspy.Highs()
    lp.setOptionValue("output_flag", False)
    lp.addVars(m + 1, np.zeros(m + 1), np.full(m + 1, highspy.kHighsInf))
    lp.changeColsCost(1, np.array([m], dtype=np.int32), np.array([1.0]))
    lp.changeObjectiveSense(highspy.ObjSense.kMaximize)
    columns = np.arange(m + 1, dtype=np.int32)
    for t in range(n):
        values = [panel[t] / sizes[t] for panel in panels]
        if t in target:
            lp.addRow(0.0, highspy.kHighsInf, m + 1, columns, np.array([*values, -1.0]))
        if t in floors:
            lp.addRow(floors[t], highspy.kHighsInf, m, columns[:m], np.array(values))
    lp.addRow(1.0, 1.0, m, columns[:m], np.ones(m))
    lp.run()
    assert lp.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return lp.getInfo().objective_function_value


def leximin_by_enumeration(volunteers, quotas, panel_size):
    """LEXIMIN chances per volunteer type, over every panel, fixing a type only when an LP shows
    it cannot rise above the current level on its own."""
    categories = sorted({c for c, _ in quotas})
    counter = Counter(tuple(v[c] for c in categories) for v in volunteers)
    types = list(counter)
    sizes = [counter[t] for t in types]
    panels = every_panel(types, sizes, quotas, categories, panel_size)
    fixed = {}
    while len(fixed) < len(types):
        unfixed = [t for t in range(len(types)) if t not in fixed]
        level = best_share(panels, sizes, {t: f - 1e-9 for t, f in fixed.items()}, set(unfixed))
        floors = {**{t: f - 1e-9 for t, f in fixed.items()}, **dict.fromkeys(unfixed, level - 1e-9)}
        for t in unfixed:
            if best_share(panels, sizes, floors, {t}) <= level + 1e-7:
                fixed[t] = level
    return sorted(fixed[t] for t in range(len(types)) for _ in range(sizes[t]))


def test_every_level_matches_leximin_computed_over_every_panel():
    pool = {
        ("female", "16-29"): 1,
        ("female", "30-64"): 4,
        ("female", "65+"): 9,
        ("male", "16-29"): 3,
        ("male", "30-64"): 2,
        ("male", "65+"): 13,
    }
    volunteers = [
        {"gender": gender, "age": age} for (gender, age), size in pool.items() for _ in range(size)
    ]
    quotas = {
        ("gender", "female"): (2, 4),
        ("gender", "male"): (2, 4),
        ("age", "16-29"): (1, 3),
        ("age", "30-64"): (2, 3),
        ("age", "65+"): (1, 3),
    }

    result = find_distribution(volunteers, quotas, 6, time_limit=60)
    expected = leximin_by_enumeration(volunteers, quotas, 6)

    assert result.complete
    assert len({round(v, 6) for v in expected}) >= 3
    ours = sorted(result.volunteer_probabilities())
    assert max(abs(a - b) for a, b in zip(ours, expected, strict=True)) <= 1e-6


CONFLICTING = {
    ("gender", "female"): (12, 20),
    ("gender", "male"): (10, 20),
    ("area", "north"): (0, 20),
    ("area", "south"): (0, 20),
}


def small_pool():
    return [
        {"gender": gender, "area": area}
        for gender, area in [("female", "north"), ("male", "south")] * 20
    ]


def test_infeasible_quotas_name_the_conflict_and_propose_a_relaxation():
    report = check_feasible(small_pool(), CONFLICTING, 20)

    assert not report.feasible
    assert "gender = female" in report.explanation
    assert "gender = male" in report.explanation
    assert "minimums for gender add up to 22" in report.explanation
    assert set(report.conflicts) == {("gender", "female"), ("gender", "male")}
    relaxed = {**CONFLICTING, **report.relaxation}
    total_change = sum(
        CONFLICTING[key][0] - low + high - CONFLICTING[key][1]
        for key, (low, high) in report.relaxation.items()
    )
    assert total_change == 2
    assert check_feasible(small_pool(), relaxed, 20).feasible


def test_a_minimum_beyond_the_pool_is_explained():
    quotas = {**CONFLICTING, ("gender", "female"): (0, 20), ("area", "north"): (25, 30)}

    report = check_feasible(small_pool(), quotas, 30)

    assert not report.feasible
    assert "only 20 volunteers in the pool have it" in report.explanation
    assert report.relaxation[("area", "north")] == (20, 30)


def test_a_pool_smaller_than_the_panel_is_infeasible():
    report = check_feasible(small_pool()[:10], CONFLICTING, 20)

    assert not report.feasible
    assert "fewer than the panel's 20 seats" in report.explanation


def test_nothing_is_drawn_when_the_quotas_conflict():
    with pytest.raises(QuotasInfeasible) as refused:
        find_distribution(small_pool(), CONFLICTING, 20)

    assert not refused.value.report.feasible


def test_feasible_quotas_are_reported_feasible():
    quotas = {**CONFLICTING, ("gender", "female"): (10, 10), ("gender", "male"): (10, 10)}

    assert check_feasible(small_pool(), quotas, 20).feasible
