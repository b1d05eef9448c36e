"""The LEXIMIN distribution over panels, computed exactly with HiGHS over profiles.

LEXIMIN (Flanigan, Gölz, Gupta, Hennig, Procaccia, "Fair algorithms for selecting citizens'
assemblies", Nature 596, 2021) is the probability distribution over quota-meeting panels that
maximises the lowest selection probability any volunteer has, then the next lowest, and so on.

Volunteers with identical answers get identical LEXIMIN probabilities, so everything runs over
profiles (see `pool`): a panel is a vector of counts per profile and a profile's per-person
probability is E[count] / size. The computation is a sequence of *levels*:

1. Column generation on the dual of "maximise the lowest probability among profiles not yet
   fixed, keeping every fixed profile at its level": the dual LP has weights y_p >= 0 on profiles
   (summing to 1 over the unfixed ones) and one row per known panel; a pricing integer programme
   over profile counts looks for a panel the weights value above the dual's mu, and adds it.
   When none exists, the LP value is the level for every panel, not just the known ones.
2. Profiles with positive weight in that optimal dual are tight in every optimal distribution
   (complementary slackness), so they are fixed at the level. At least one always is.
3. Repeat until every profile is fixed; a final LP then finds panel probabilities that realise the
   fixed profile probabilities.

Tolerances, all absolute on probabilities (which lie in [0, 1]):

- `FIX_SLACK`: a fixed profile must keep at least its level minus this, so LP round-off can never
  make a later level infeasible. The delivered probabilities may be this far below the exact ones.
- `DUAL_TOL`: a weight above this marks a profile tight. Too high only costs extra levels at the
  same value; too low could fix a profile early, so it sits well above the solver's 1e-7 dual
  feasibility tolerance relative to weights that sum to 1.
- `PRICE_TOL`: a panel enters only if its reduced cost exceeds this; the pricing programme is solved
  to an absolute gap ten times smaller, so "no panel above it" is proven.

Every solver call is limited to the time left (and at most `CALL_LIMIT`). If time runs out after
the first level (the maximin guarantee), the result says how many levels were reached; before it,
`SelectionTimeout` is raised.
"""

import time
from dataclasses import dataclass

import highspy
import numpy as np

from .feasibility import QuotasInfeasible, check_pool
from .pool import (
    INF,
    Pool,
    Quotas,
    add_count_columns,
    add_rows,
    build_pool,
    new_highs,
    panel_rows,
    solved,
    status,
)

FIX_SLACK = 1e-9
DUAL_TOL = 1e-6
PRICE_TOL = 1e-8
CALL_LIMIT = 600.0
# Bumped whenever a change could alter a distribution; recorded in published draws.
ALGORITHM_VERSION = "leximin-profiles-highs/1"


class SelectionTimeout(TimeoutError):
    """Not even the first level (the maximin guarantee) was reached within the time limit."""


@dataclass(frozen=True)
class Distribution:
    """A probability distribution over panels, each panel given as counts per profile.

    `levels` are the probabilities fixed so far, lowest first. `complete` is True when every
    profile was fixed (full LEXIMIN); otherwise the first `len(levels)` levels hold and every
    other profile has at least the last level.
    """

    pool: Pool
    panels: list
    probabilities: list
    profile_probabilities: list
    levels: list
    complete: bool
    elapsed: float
    algorithm: str = ALGORITHM_VERSION

    @property
    def lowest(self):
        return min(self.profile_probabilities)

    def volunteer_probabilities(self):
        """Each volunteer's selection probability, in the order the volunteers were given."""
        result = [0.0] * self.pool.volunteer_count
        for profile, probability in zip(
            self.pool.profiles, self.profile_probabilities, strict=True
        ):
            for member in profile.members:
                result[member] = probability
        return result


def find_distribution(
    volunteers, quotas: Quotas, panel_size, *, time_limit=1800.0, progress=None
) -> Distribution:
    """The LEXIMIN distribution for drawing `panel_size` of `volunteers` under `quotas`.

    `volunteers` is a list of dicts (category -> answer); `quotas` maps (category, value) to
    (min, max) seats. `progress(levels_fixed, elapsed_seconds)` is called after each level.
    Raises `QuotasInfeasible` when no panel meets the quotas and `SelectionTimeout` when the
    maximin level is not reached within `time_limit` seconds. Pure and CPU-bound: run it in a
    background job, never in a web request.
    """
    return find_pool_distribution(
        build_pool(volunteers, quotas, panel_size), time_limit=time_limit, progress=progress
    )


def find_pool_distribution(pool, *, time_limit=1800.0, progress=None) -> Distribution:
    """`find_distribution` for an already grouped pool."""
    started = time.monotonic()
    try:
        report = check_pool(pool, time_limit=min(time_limit, CALL_LIMIT))
    except TimeoutError as error:
        raise SelectionTimeout(str(error)) from None
    if not report.feasible:
        raise QuotasInfeasible(report)
    return _Leximin(pool, started + time_limit, progress).run()


class _OutOfTime(Exception):
    pass


class _Leximin:
    def __init__(self, pool, deadline, progress):
        self.pool = pool
        self.sizes = np.array([float(p.size) for p in pool.profiles])
        self.deadline = deadline
        self.started = time.monotonic()
        self.progress = progress
        self.panels = []
        self.known = set()
        self.fixed = {}
        self.levels = []
        self.pricer = self._build_pricer()

    def run(self):
        complete = True
        try:
            self._add_panel(self._price(1.0 / self.sizes)[0])
            while len(self.fixed) < len(self.sizes):
                self._fix_next_level()
        except _OutOfTime:
            if not self.levels:
                raise SelectionTimeout(
                    "The maximin level was not reached in the time allowed; allow more time "
                    "or use fewer quota categories."
                ) from None
            complete = False
        return self._finish(complete)

    def _remaining(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _OutOfTime
        return min(left, CALL_LIMIT)

    def _fix_next_level(self):
        weights, level = self._solve_level()
        unfixed = [p for p in range(len(self.sizes)) if p not in self.fixed]
        tight = [p for p in unfixed if weights[p] > DUAL_TOL]
        if not tight:
            tight = [max(unfixed, key=lambda p: weights[p])]
        for p in tight:
            self.fixed[p] = level
        self.levels.append(level)
        if self.progress is not None:
            self.progress(len(self.levels), time.monotonic() - self.started)

    def _solve_level(self):
        """Column generation until no panel has positive reduced cost: (weights, level)."""
        dual = self._build_dual()
        mu_column = len(self.sizes)
        while True:
            dual.setOptionValue("time_limit", self._remaining())
            dual.run()
            if not solved(dual):
                self._give_up(dual, "the level LP")
            values = np.array(dual.getSolution().col_value)
            weights, mu = values[:mu_column], values[mu_column]
            panel, bound = self._price(weights / self.sizes)
            gain = float(np.dot(weights / self.sizes, panel)) - mu
            if bound <= mu + PRICE_TOL or gain <= PRICE_TOL or tuple(panel) in self.known:
                return weights, dual.getInfo().objective_function_value
            self._add_panel(panel)
            add_rows(dual, [self._panel_row(panel)])

    def _build_dual(self):
        """min mu - sum_fixed (level_p - FIX_SLACK) y_p, over y >= 0 and free mu, with
        sum_unfixed y = 1 and mu >= sum_p y_p * count_p / size_p for every known panel."""
        count = len(self.sizes)
        dual = new_highs(self._remaining())
        lower = np.zeros(count + 1)
        lower[count] = -INF
        dual.addVars(count + 1, lower, np.full(count + 1, INF))
        costs = np.zeros(count + 1)
        costs[count] = 1.0
        for p, level in self.fixed.items():
            costs[p] = -(level - FIX_SLACK)
        dual.changeColsCost(count + 1, np.arange(count + 1, dtype=np.int32), costs)
        unfixed = {p: 1.0 for p in range(count) if p not in self.fixed}
        add_rows(dual, [(1.0, 1.0, unfixed)] + [self._panel_row(x) for x in self.panels])
        return dual

    def _panel_row(self, panel):
        row = {p: -c / self.sizes[p] for p, c in enumerate(panel) if c}
        row[len(self.sizes)] = 1.0
        return (0.0, INF, row)

    def _build_pricer(self):
        pricer = new_highs(CALL_LIMIT)
        add_count_columns(pricer, self.pool)
        add_rows(pricer, panel_rows(self.pool))
        pricer.changeObjectiveSense(highspy.ObjSense.kMaximize)
        pricer.setOptionValue("mip_rel_gap", 0.0)
        pricer.setOptionValue("mip_abs_gap", PRICE_TOL / 10)
        return pricer

    def _price(self, values):
        """The panel maximising sum values_p * count_p, and the solver's proven upper bound."""
        count = len(values)
        self.pricer.changeColsCost(count, np.arange(count, dtype=np.int32), np.asarray(values))
        self.pricer.setOptionValue("time_limit", self._remaining())
        self.pricer.run()
        if not solved(self.pricer):
            self._give_up(self.pricer, "the panel search")
        panel = np.rint(self.pricer.getSolution().col_value).astype(int)
        return panel, self.pricer.getInfo().mip_dual_bound

    def _add_panel(self, panel):
        panel = tuple(int(c) for c in panel)
        problems = self.pool.panel_problems(panel)
        if problems:
            raise RuntimeError(f"The solver proposed an invalid panel: {problems}")
        self.known.add(panel)
        self.panels.append(panel)

    def _give_up(self, highs, what):
        if time.monotonic() >= self.deadline or status(highs) == "Time limit reached":
            raise _OutOfTime
        raise RuntimeError(f"HiGHS could not solve {what}: {status(highs)}")

    def _finish(self, complete):
        """Panel probabilities realising every fixed level (and the last level for the rest)."""
        floor = self.levels[-1]
        targets = [self.fixed.get(p, floor) - 2 * FIX_SLACK for p in range(len(self.sizes))]
        lp = new_highs(min(max(self.deadline - time.monotonic(), CALL_LIMIT / 10), CALL_LIMIT))
        count = len(self.panels)
        lp.addVars(count, np.zeros(count), np.full(count, INF))
        rows = [(1.0, 1.0, dict.fromkeys(range(count), 1.0))]
        for p, target in enumerate(targets):
            share = {i: x[p] / self.sizes[p] for i, x in enumerate(self.panels) if x[p]}
            rows.append((target, INF, share))
        add_rows(lp, rows)
        lp.run()
        if not solved(lp):
            raise RuntimeError(f"HiGHS could not realise the levels: {status(lp)}")
        return self._distribution(np.array(lp.getSolution().col_value), complete)

    def _distribution(self, weights, complete):
        weights = np.where(weights > 1e-12, weights, 0.0)
        weights /= weights.sum()
        kept = [i for i in range(len(self.panels)) if weights[i] > 0]
        panels = [self.panels[i] for i in kept]
        probabilities = [float(weights[i]) for i in kept]
        counts = np.array(panels, dtype=float)
        profile = (np.array(probabilities) @ counts) / self.sizes
        return Distribution(
            pool=self.pool,
            panels=panels,
            probabilities=probabilities,
            profile_probabilities=[float(v) for v in profile],
            levels=list(self.levels),
            complete=complete,
            elapsed=time.monotonic() - self.started,
        )
