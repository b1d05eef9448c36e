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

Three things keep the number of pricing rounds down without touching exactness. The search starts
from panels found by multiplicative weights (each search favours the profiles earlier panels
seated least). Pricing is *smoothed*: it looks at a point between the LP's weights and the best
weights seen so far in the level, which steadies the LP's jumpy weights; a level is only accepted
when pricing at the LP's own weights finds nothing. And one LP is kept for the whole run: the
primal over panel probabilities, whose row duals are the weights, so a new panel is a new column
and each solve starts from the last basis.

Tolerances, all absolute on probabilities (which lie in [0, 1]):

- `FIX_SLACK`: a fixed profile must keep at least its level minus this, so LP round-off can never
  make a later level infeasible. The delivered probabilities may be this far below the exact ones.
- `DUAL_TOL`: a weight above this marks a profile tight. Too high only costs extra levels at the
  same value; too low could fix a profile early, so it sits well above the solver's 1e-7 dual
  feasibility tolerance relative to weights that sum to 1.
- `PRICE_TOL`: a panel enters only if its reduced cost exceeds this; the pricing programme is solved
  to an absolute gap ten times smaller, so "no panel above it" is proven.

Every solver call is limited to the time left (and at most `CALL_LIMIT`), and `should_stop` is asked
before each one. If time runs out after the first level (the maximin guarantee), the result says
how many levels were reached; before it, `SelectionTimeout` is raised.
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
    limit_time,
    new_highs,
    panel_rows,
    solved,
    status,
)

FIX_SLACK = 1e-9
DUAL_TOL = 1e-6
PRICE_TOL = 1e-8
CALL_LIMIT = 600.0
# Weight of the best weights seen so far in the smoothed pricing point (0 turns smoothing off).
SMOOTHING = 0.8
# Starting panels: this many multiplicative-weights rounds, each solved to this relative gap.
SEED_ROUNDS = 40
SEED_GAP = 1e-3
# Bumped whenever a change could alter a distribution; recorded in published draws.
ALGORITHM_VERSION = "leximin-profiles-highs/2"


class SelectionTimeout(TimeoutError):
    """Not even the first level (the maximin guarantee) was reached within the time limit."""


class SelectionCancelled(Exception):
    """`should_stop` said to stop; no distribution was produced."""


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
    volunteers,
    quotas: Quotas,
    panel_size,
    *,
    time_limit=1800.0,
    progress=None,
    should_stop=None,
) -> Distribution:
    """The LEXIMIN distribution for drawing `panel_size` of `volunteers` under `quotas`.

    `volunteers` is a list of dicts (category -> answer); `quotas` maps (category, value) to
    (min, max) seats. `progress(levels_fixed, elapsed_seconds)` is called after each level;
    `should_stop()` is asked before every solver call, and when it returns True the work ends with
    `SelectionCancelled`. Raises `QuotasInfeasible` when no panel meets the quotas and
    `SelectionTimeout` when the maximin level is not reached within `time_limit` seconds. Pure and
    CPU-bound: run it in a background job, never in a web request.
    """
    return find_pool_distribution(
        build_pool(volunteers, quotas, panel_size),
        time_limit=time_limit,
        progress=progress,
        should_stop=should_stop,
    )


def find_pool_distribution(
    pool, *, time_limit=1800.0, progress=None, should_stop=None
) -> Distribution:
    """`find_distribution` for an already grouped pool."""
    clock = _Clock(time.monotonic() + time_limit, should_stop)
    clock.check_stop()
    try:
        report = check_pool(pool, time_limit=min(time_limit, CALL_LIMIT))
    except TimeoutError as error:
        raise SelectionTimeout(str(error)) from None
    if not report.feasible:
        raise QuotasInfeasible(report)
    return _Leximin(pool, clock, progress).run()


class _OutOfTime(Exception):
    pass


class _Clock:
    """The deadline and the caller's stop request, consulted before every solver call."""

    def __init__(self, deadline, should_stop):
        self.deadline = deadline
        self.should_stop = should_stop

    def check_stop(self):
        if self.should_stop is not None and self.should_stop():
            raise SelectionCancelled("The selection was stopped before it finished.")

    def remaining(self):
        """Seconds the next solver call may take; raises when there are none or on a stop."""
        self.check_stop()
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _OutOfTime
        return min(left, CALL_LIMIT)

    def give_up(self, highs, what):
        if time.monotonic() >= self.deadline or status(highs) == "Time limit reached":
            raise _OutOfTime
        raise RuntimeError(f"HiGHS could not solve {what}: {status(highs)}")


class _Pricer:
    """The panel search: the quota-meeting panel that per-person values rate highest.

    One HiGHS model for the whole run; only the objective changes between searches.
    """

    def __init__(self, pool, clock):
        self.clock = clock
        self.columns = np.arange(len(pool.profiles), dtype=np.int32)
        self.highs = new_highs(CALL_LIMIT)
        add_count_columns(self.highs, pool)
        add_rows(self.highs, panel_rows(pool))
        self.highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        # Presolve finds nothing to remove in this model and feasibility jump rarely beats the
        # root LP; both cost more than the search itself on small pools.
        self.highs.setOptionValue("presolve", "off")
        self.highs.setOptionValue("mip_heuristic_run_feasibility_jump", False)

    def best(self, values, gap=0.0):
        """The panel maximising sum values_p * count_p, and the solver's proven upper bound on
        that sum (within `gap`, relative, of the panel's own value)."""
        values = np.asarray(values, dtype=float)
        # HiGHS's tolerances are absolute: scaled so the largest value is 1, its proven bound
        # holds to far below PRICE_TOL, which it does not for values of order 1e-3.
        scale = 1.0 / max(float(values.max()), 1e-300)
        highs = self.highs
        highs.changeColsCost(len(self.columns), self.columns, values * scale)
        highs.setOptionValue("mip_rel_gap", gap)
        highs.setOptionValue("mip_abs_gap", PRICE_TOL / 10 * scale)
        limit_time(highs, self.clock.remaining())
        highs.run()
        if not solved(highs):
            self.clock.give_up(highs, "the panel search")
        panel = np.rint(highs.getSolution().col_value).astype(int)
        return panel, highs.getInfo().mip_dual_bound / scale


class _Leximin:
    def __init__(self, pool, clock, progress):
        self.pool = pool
        self.clock = clock
        self.progress = progress
        self.sizes = np.array([float(p.size) for p in pool.profiles])
        self.started = time.monotonic()
        self.panels = []
        self.known = set()
        self.fixed = {}
        self.levels = []
        self.pricer = _Pricer(pool, clock)
        self.lp = self._build_lp()

    def run(self):
        complete = True
        try:
            self._seed()
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

    def _seed(self):
        """Starting panels by multiplicative weights: each search values a profile less the more
        of it the earlier panels seated, so together they cover the pool."""
        weights = np.ones(len(self.sizes))
        for _ in range(SEED_ROUNDS):
            panel, _ = self.pricer.best(weights / self.sizes, gap=SEED_GAP)
            if not self._add_panel(panel):
                break
            weights *= np.exp(-panel / self.sizes)
            weights /= weights.mean()

    def _fix_next_level(self):
        weights, level = self._solve_level()
        unfixed = [p for p in range(len(self.sizes)) if p not in self.fixed]
        tight = [p for p in unfixed if weights[p] > DUAL_TOL]
        if not tight:
            tight = [max(unfixed, key=lambda p: weights[p])]
        for p in tight:
            self.fixed[p] = level
            # From "at least z" to "at least its level".
            self.lp.changeCoeff(1 + p, 0, 0.0)
            self.lp.changeRowBounds(1 + p, level - FIX_SLACK, INF)
        self.levels.append(level)
        if self.progress is not None:
            self.progress(len(self.levels), time.monotonic() - self.started)

    def _solve_level(self):
        """Column generation until no panel has positive reduced cost: (weights, level).

        Pricing looks at a point between the LP's weights and the centre (the weights with the
        lowest proven dual value so far). When that finds no panel the LP is missing, the next
        search prices the LP's weights themselves, and only that can end the level.
        """
        centre, centre_value = None, INF
        exact = True
        while True:
            weights, mu, objective = self._solve_lp()
            point = weights
            if not exact and centre is not None:
                point = SMOOTHING * centre + (1 - SMOOTHING) * weights
            panel, bound = self.pricer.best(point / self.sizes)
            value = bound - self._fixed_value(point)
            if value < centre_value:
                centre, centre_value = point, value
            if self._improves(panel, weights, mu):
                self._add_panel(panel)
                exact = False
            elif exact:
                return weights, objective
            else:
                exact = True

    def _improves(self, panel, weights, mu):
        """Whether the LP lacks `panel` and its weights value the panel above mu."""
        gain = float(np.dot(weights / self.sizes, panel)) - mu
        return gain > PRICE_TOL and tuple(int(c) for c in panel) not in self.known

    def _fixed_value(self, weights):
        return sum((level - FIX_SLACK) * weights[p] for p, level in self.fixed.items())

    def _solve_lp(self):
        """Solve the level LP: (profile weights, mu, level), the weights and mu being its duals.

        The LP, kept for the whole run, is over panel probabilities: maximise z with every
        unfixed profile's probability at least z and every fixed one at least its level minus
        FIX_SLACK. Its row duals are the dual's weights y (they sum to 1 over the unfixed
        profiles) and, on the "sum to 1" row, mu.
        """
        lp = self.lp
        limit_time(lp, self.clock.remaining())
        lp.run()
        if not solved(lp) and status(lp) != "Time limit reached":
            # Round-off at a warm start can look like infeasibility; a cold start settles it.
            lp = self.lp = self._build_lp(lp.getModel())
            limit_time(lp, self.clock.remaining())
            lp.run()
        if not solved(lp):
            self.clock.give_up(lp, "the level LP")
        duals = np.array(lp.getSolution().row_dual)
        return np.maximum(-duals[1:], 0.0), duals[0], lp.getInfo().objective_function_value

    def _build_lp(self, model=None):
        """Row 0: probabilities sum to 1; row 1 + p: profile p. Column 0 is z; each panel adds
        a column (see `_add_panel`). With `model`, a fresh instance of that model."""
        count = len(self.sizes)
        lp = new_highs(CALL_LIMIT)
        # Fixed profiles may fall FIX_SLACK below their level: the LP must hold rows far closer.
        lp.setOptionValue("primal_feasibility_tolerance", FIX_SLACK / 10)
        lp.changeObjectiveSense(highspy.ObjSense.kMaximize)
        # New panels are new columns, so the last basis stays primal feasible: primal simplex
        # picks up where it left off (measured about twice as fast as dual simplex here).
        lp.setOptionValue("simplex_strategy", 4)
        if model is not None:
            lp.passModel(model)
            return lp
        lp.addRows(
            1 + count,
            np.r_[1.0, np.zeros(count)],
            np.r_[1.0, np.full(count, INF)],
            0,
            np.zeros(1 + count, dtype=np.int32),
            np.array([], dtype=np.int32),
            np.array([]),
        )
        rows = np.arange(1, count + 1, dtype=np.int32)
        lp.addCol(1.0, -INF, INF, count, rows, -np.ones(count))
        return lp

    def _add_panel(self, panel):
        """Record a panel and give the dual its row; False if it was known already."""
        panel = tuple(int(c) for c in panel)
        if panel in self.known:
            return False
        problems = self.pool.panel_problems(panel)
        if problems:
            raise RuntimeError(f"The solver proposed an invalid panel: {problems}")
        self.known.add(panel)
        self.panels.append(panel)
        seated = np.flatnonzero(panel)
        rows = np.r_[0, 1 + seated].astype(np.int32)
        shares = np.r_[1.0, np.asarray(panel)[seated] / self.sizes[seated]]
        self.lp.addCol(0.0, 0.0, INF, len(rows), rows, shares)
        return True

    def _finish(self, complete):
        """Panel probabilities realising every fixed level (and the last level for the rest)."""
        self.clock.check_stop()
        floor = self.levels[-1]
        targets = [self.fixed.get(p, floor) - 2 * FIX_SLACK for p in range(len(self.sizes))]
        left = self.clock.deadline - time.monotonic()
        lp = new_highs(min(max(left, CALL_LIMIT / 10), CALL_LIMIT))
        # The delivered probabilities must hold the levels to within FIX_SLACK, not HiGHS's
        # default 1e-7.
        lp.setOptionValue("primal_feasibility_tolerance", FIX_SLACK / 10)
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
