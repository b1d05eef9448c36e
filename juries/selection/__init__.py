"""Selection by stratified lottery: pure algorithms, no models or views.

`find_distribution` computes the LEXIMIN distribution over quota-meeting panels and
`check_feasible` says whether any panel can meet the quotas (and, if not, what to relax).
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
