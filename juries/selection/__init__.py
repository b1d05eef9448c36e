"""The civic lottery that selects a jury: recruitment, quotas, the draw and the panel.

Two layers. The algorithms work on plain data, with no models, requests or database, so anyone
can read, test and re-run them: `leximin` (the fairest distribution over quota-meeting panels),
`feasibility` (whether any panel meets the quotas, and what to relax), `pool`, `bundle` (the
published record and the draw from its seed) and `disclosure` (small groups in published figures).
Around them, the Django side: services (`recruitment`, `volunteer_import`, `quotas`, `draws`,
`panel`, `retention`, `demo`), `forms/` and `views/`. The models stay in `juries.models`.

This package re-exports the algorithms only: `juries.models` imports it, so it must not import
the Django side.
"""

from .feasibility import Feasibility, QuotasInfeasible, check_feasible
from .leximin import (
    ALGORITHM_VERSION,
    Distribution,
    SelectionCancelled,
    SelectionTimeout,
    find_distribution,
)
from .pool import Pool, Profile, build_pool

__all__ = [
    "ALGORITHM_VERSION",
    "Distribution",
    "Feasibility",
    "Pool",
    "Profile",
    "QuotasInfeasible",
    "SelectionCancelled",
    "SelectionTimeout",
    "build_pool",
    "check_feasible",
    "find_distribution",
]
