"""The vote's results as a picture: one stacked bar per recommendation, split by level of
agreement, with the threshold drawn across them (see `juries.charts`). The same function draws
the results page, a recommendation's own page and the published report, from the counts each has.
"""

from django.utils.translation import gettext as _

from juries.charts import Key, stacked_bars
from juries.numbers import percent

from .models.decisions import LEVEL_LABELS, OUTCOME_LABELS
from .tally import ACCEPTING, SIDES, Level

TONES = {
    Level.STRONGLY_SUPPORT: ("green-dark", ""),
    Level.SUPPORT: ("green", ""),
    Level.CAN_LIVE_WITH_IT: ("green-light", ""),
    Level.OPPOSE: ("red", "hatch"),
    Level.STRONGLY_OPPOSE: ("red-dark", "cross"),
}


def level_keys():
    """A key per level, abstention last and not drawn: the threshold leaves it out."""
    keys = [Key(LEVEL_LABELS[level], *TONES[level]) for level in SIDES]
    return [*keys, Key(_("Abstained"), "grey", drawn=False)]


def results_chart(rows, threshold_percent, *, id="vote-results", table_open=False, titled=True):
    """A chart of `rows`, each (recommendation number, outcome code, {level code: ballots}),
    in the order given. `titled=False` leaves the bars without a label (a single
    recommendation's page, whose heading already names it)."""
    levels = [*SIDES, Level.ABSTAIN]
    bars, sentences = [], []
    for number, outcome, counts in rows:
        values = [int(counts.get(level, 0)) for level in levels]
        accepting = sum(int(counts.get(level, 0)) for level in ACCEPTING)
        sides = sum(values[: len(SIDES)])
        outcome_label = OUTCOME_LABELS.get(outcome, outcome)
        label = _("Recommendation %(number)s: %(outcome)s") % {
            "number": number,
            "outcome": outcome_label,
        }
        bars.append((label if titled else "", values))
        sentences.append(
            _("%(label)s, %(accepting)s of %(sides)s ballots that took a side accepting it.")
            % {"label": label, "accepting": accepting, "sides": sides}
            if sides
            else _("%(label)s, no ballot took a side.") % {"label": label}
        )
    description = " ".join(
        [
            _(
                "Each bar shows the ballots that took a side, from strongly support on the left "
                "to strongly oppose on the right. A recommendation is adopted when the first "
                "three levels reach the dashed line at %(threshold)s%%."
            )
            % {"threshold": threshold_percent},
            *sentences,
        ]
    )
    return stacked_bars(
        id,
        _("Ballots on each recommendation") if titled else _("Ballots at each level"),
        description,
        level_keys(),
        bars,
        threshold=threshold_percent,
        threshold_label=_("Needed to adopt: %(threshold)s%%") % {"threshold": threshold_percent},
        table_open=table_open,
        value_heading=_("Ballots"),
    )


def accepting_share(counts):
    """The accepting share of the ballots that took a side, as people read it ("91.7")."""
    sides = sum(int(counts.get(level, 0)) for level in SIDES)
    return percent(sum(int(counts.get(level, 0)) for level in ACCEPTING), sides)


def answers_chart(rows):
    """The oversight body's answers to the adopted recommendations (`responses.AnswerRow`s) as
    one stacked bar: each answer by its status, the rest not answered yet or overdue."""
    from .models import ResponseStatus

    keys = [
        (ResponseStatus.ACCEPTED, Key(ResponseStatus.ACCEPTED.label, "green-dark")),
        (ResponseStatus.ACCEPTED_IN_PART, Key(ResponseStatus.ACCEPTED_IN_PART.label, "amber")),
        (
            ResponseStatus.UNDER_CONSIDERATION,
            Key(ResponseStatus.UNDER_CONSIDERATION.label, "blue-light", "dots"),
        ),
        (ResponseStatus.NOT_ACCEPTED, Key(ResponseStatus.NOT_ACCEPTED.label, "red", "hatch")),
        ("waiting", Key(_("Not answered yet"), "grey-light")),
        ("overdue", Key(_("Overdue"), "red-dark", "cross")),
    ]
    counts = dict.fromkeys((code for code, _key in keys), 0)
    for row in rows:
        if row.response is not None:
            counts[row.response.status] += 1
        else:
            counts["overdue" if row.overdue else "waiting"] += 1
    parts = [f"{key.label}: {counts[code]}" for code, key in keys if counts[code]]
    description = _("Answers to %(total)s adopted recommendations. %(parts)s.") % {
        "total": len(rows),
        "parts": "; ".join(parts),
    }
    return stacked_bars(
        "answers",
        _("Answers to the adopted recommendations"),
        description,
        [key for _code, key in keys],
        [("", [counts[code] for code, _key in keys])],
        value_heading=_("Recommendations"),
    )
