"""The lottery's numbers as pictures: the panel drawn against the quotas, the quotas against the
population and the pool, and the spread of everyone's chance of selection.

Each function returns plain rows (what the page's table shows) with the chart that draws them
(`juries.charts`), so a test can hold the picture against the data. Read-only; the callers are
views that have already asked `juries.permissions`. Nothing here names a person.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from juries import charts
from juries.models import CategoryValue
from juries.numbers import format_percent, percent_value

from .disclosure import SMALL, WITHHELD, suppress_small

POPULATION = charts.Key(_lazy("Share of the population"), "grey-light")
POOL = charts.Key(_lazy("Share of the pool"), "blue-light", "hatch")
PANEL = charts.Key(_lazy("Share of the panel drawn"), "blue")
QUOTA_LOW = charts.Key(_lazy("Quota: at least (share of seats)"), "amber", "dots")
QUOTA_HIGH = charts.Key(_lazy("Quota: at most (share of seats)"), "amber")
VOLUNTEERS = charts.Key(_lazy("Volunteers"), "blue")
SPREAD_BINS = 5


def _population_shares(jury):
    values = CategoryValue.objects.filter(category__jury=jury).select_related("category")
    return {(value.category.name, value.label): value.population_share for value in values}


# --- the panel drawn against the quotas ------------------------------------------------------


@dataclass
class PanelRow:
    label: str
    minimum: int
    maximum: int
    population_share: Decimal | None
    pool_count: int
    pool_share: Decimal | None
    panel_count: int
    panel_share: Decimal | None
    pool_shown: object = None  # the count as published: a number, SMALL or WITHHELD
    panel_shown: object = None

    @property
    def within_quota(self):
        return self.minimum <= self.panel_count <= self.maximum


def _published(rows, count, share):
    """Hide counts of 1 or 2 (and one more, so the total does not give them away) as the public
    page does (`disclosure.suppress_small`): their shares are neither written nor drawn."""
    shown = suppress_small([getattr(row, count) for row in rows])
    for row, figure in zip(rows, shown, strict=True):
        setattr(row, f"{count.removesuffix('_count')}_shown", figure)
        if figure in (SMALL, WITHHELD):
            setattr(row, share, None)


def panel_against_quotas(draw, places, *, public=False):
    """Per question, per answer: the quota (seats), the population's share, the pool's count and
    share (the pool as drawn), and the panel's count and share, with a chart of the three shares.
    `places` are the places on the panel now (replacements included). `public`: small counts
    are hidden, as everywhere on the public selection page."""
    pool = draw.inputs.get("pool", {})
    answers = [pool.get(place.pseudonym, {}) for place in places]
    population = _population_shares(draw.jury)
    blocks = []
    for index, category in enumerate(draw.inputs.get("categories", [])):
        name = category["name"]
        pool_counts = Counter(a.get(name) for a in pool.values())
        panel_counts = Counter(a.get(name) for a in answers)
        rows = [
            PanelRow(
                label=value["value"],
                minimum=value["min"],
                maximum=value["max"],
                population_share=population.get((name, value["value"])),
                pool_count=pool_counts[value["value"]],
                pool_share=percent_value(pool_counts[value["value"]], len(pool)),
                panel_count=panel_counts[value["value"]],
                panel_share=percent_value(panel_counts[value["value"]], len(answers)),
            )
            for value in category["values"]
        ]
        for row in rows:
            row.pool_shown, row.panel_shown = row.pool_count, row.panel_count
        if public:
            _published(rows, "pool_count", "pool_share")
            _published(rows, "panel_count", "panel_share")
        chart = charts.bar_chart(
            f"panel-quotas-{index}",
            _("%(question)s: the panel drawn against the population and the pool")
            % {"question": name},
            _(
                "For each answer, three bars: its share of the population, of the pool of "
                "volunteers and of the panel drawn, in percent. Each answer's quota, in seats, "
                "is written in its label."
            ),
            [POPULATION, POOL, PANEL],
            [
                (
                    _("%(answer)s (quota %(low)s to %(high)s)")
                    % {"answer": row.label, "low": row.minimum, "high": row.maximum},
                    [row.population_share, row.pool_share, row.panel_share],
                )
                for row in rows
            ],
            percent=True,
        )
        blocks.append({"name": name, "rows": rows, "chart": chart})
    return blocks


# --- the quotas against the population and the pool ------------------------------------------


def quotas_chart(block, index, panel_size):
    """The quotas page's chart for one category (`pool_check.CategoryRows`): per answer, its
    share of the population and of the pool, and the quota's least and most as shares of the
    seats."""
    return charts.bar_chart(
        f"quotas-{index}",
        _("%(question)s: the quotas against the population and the pool")
        % {"question": block.category.name},
        _(
            "For each answer, four bars in percent: its share of the population, its share of "
            "the pool of volunteers, and the least and the most of the %(seats)s seats its quota "
            "allows, as shares of the panel."
        )
        % {"seats": panel_size},
        [POPULATION, POOL, QUOTA_LOW, QUOTA_HIGH],
        [
            (
                row.value.label,
                [
                    row.value.population_share,
                    row.pool_share,
                    row.minimum_percent,
                    row.maximum_percent,
                ],
            )
            for row in block.rows
        ],
        percent=True,
    )


# --- the spread of the chances of selection --------------------------------------------------


def chances(commitment):
    """Each volunteer's chance of selection (a Fraction), one per volunteer, from the published
    commitment alone: a profile's members share its expected seats equally."""
    total = commitment["distribution"]["weight_total"]
    profiles = commitment["profiles"]
    expected = [Fraction(0)] * len(profiles)
    for panel in commitment["distribution"]["panels"]:
        for index, count in enumerate(panel["counts"]):
            expected[index] += Fraction(panel["weight"] * count, total)
    result = []
    for index, profile in enumerate(profiles):
        size = len(profile["members"])
        result += [expected[index] / size] * size
    return result


def _percent(chance):
    return Decimal(chance.numerator * 100) / Decimal(chance.denominator)


def chance_spread(commitment):
    """How the chances of selection spread: the lowest (the guarantee), the highest, the average,
    and how many volunteers fall in each of a few equal bands, with a bar chart of the bands."""
    figures = sorted(_percent(chance) for chance in chances(commitment))
    lowest, highest = figures[0], figures[-1]
    average = sum(figures) / len(figures)
    width = (highest - lowest) / SPREAD_BINS
    if format_percent(lowest) == format_percent(highest):
        bands = [(lowest, highest, len(figures))]
    else:
        bands = []
        for band in range(SPREAD_BINS):
            low = lowest + width * band
            high = highest if band == SPREAD_BINS - 1 else low + width
            last = band == SPREAD_BINS - 1
            count = sum(1 for f in figures if low <= f and (f < high or (last and f <= high)))
            bands.append((low, high, count))
    rows = [
        (
            _("%(low)s%% to %(high)s%%")
            % {"low": format_percent(low), "high": format_percent(high)}
            if low != high
            else _("%(figure)s%%") % {"figure": format_percent(low)},
            [count],
        )
        for low, high, count in bands
    ]
    chart = charts.bar_chart(
        "chance-spread",
        _("How the volunteers' chances of being selected spread"),
        _(
            "How many volunteers have a chance of selection in each band, from the lowest "
            "chance, %(lowest)s%%, to the highest, %(highest)s%%. The average is %(average)s%%."
        )
        % {
            "lowest": format_percent(lowest),
            "highest": format_percent(highest),
            "average": format_percent(average),
        },
        [VOLUNTEERS],
        rows,
    )
    return {
        "lowest": lowest,
        "highest": highest,
        "average": average,
        "volunteers": len(figures),
        "bands": bands,
        "chart": chart,
    }
