"""Skewed volunteer pools for the selection tests and benchmarks.

Who answers an invitation is not who lives in the area: older and more educated people volunteer
more often. A pool here draws each volunteer's answers from the *volunteering* shares, while the
quotas come from the *population* shares, so the quotas pull against the pool as they do in a
real recruitment. Pools are deterministic for a given seed.
"""

import math
import random

# Category -> value -> (share of the population, share of the volunteers).
CATEGORIES = {
    "age": {
        "16-29": (0.22, 0.07),
        "30-44": (0.25, 0.15),
        "45-64": (0.32, 0.38),
        "65+": (0.21, 0.40),
    },
    "education": {"none": (0.25, 0.08), "school": (0.43, 0.32), "degree": (0.32, 0.60)},
    "gender": {"female": (0.51, 0.55), "male": (0.49, 0.45)},
    "area": {
        "north": (0.30, 0.35),
        "south": (0.30, 0.25),
        "east": (0.20, 0.25),
        "west": (0.20, 0.15),
    },
    "housing": {
        "owner": (0.62, 0.74),
        "private renter": (0.20, 0.14),
        "social renter": (0.18, 0.12),
    },
    "work": {"employed": (0.58, 0.46), "not working": (0.20, 0.12), "retired": (0.22, 0.42)},
    "ethnicity": {
        "white": (0.82, 0.88),
        "asian": (0.09, 0.06),
        "black": (0.04, 0.03),
        "mixed or other": (0.05, 0.03),
    },
}


def skewed_pool(size, panel_size, *, categories=4, seed=7):
    """`size` volunteers (dicts of category -> answer) over the first `categories` categories,
    and quotas (min, max) that keep each value within about one seat of its population share."""
    chosen = list(CATEGORIES)[:categories]
    rng = random.Random(seed)
    volunteers = [
        {
            category: rng.choices(
                list(CATEGORIES[category]),
                weights=[volunteering for _, volunteering in CATEGORIES[category].values()],
            )[0]
            for category in chosen
        }
        for _ in range(size)
    ]
    return volunteers, population_quotas(chosen, panel_size)


def population_quotas(categories, panel_size):
    """Seats for each value between floor(share * seats) - 1 and ceil(share * seats) + 1."""
    return {
        (category, value): (
            max(0, math.floor(population * panel_size) - 1),
            math.ceil(population * panel_size) + 1,
        )
        for category in categories
        for value, (population, _) in CATEGORIES[category].items()
    }
