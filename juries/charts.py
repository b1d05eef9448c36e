"""Numbers as pictures: small charts drawn on the server as SVG, each with its numbers as a table.

Every chart is an inline `<svg role="img" aria-labelledby="…-title …-desc">` with a `<title>`
and a `<desc>`, sized by its viewBox so it scales down to a phone and prints in the report's PDF
(no script, no style attribute: the Content-Security-Policy allows neither inline, and SVG
presentation attributes need neither). Colour is never the only carrier: every bar has its words
and numbers beside or inside it, opposing tones are hatched, and the same numbers are always in
an accessible `<table>` under the picture (open, or behind "Show the numbers as a table").

The API: build a chart in the view (or the service that feeds a template), then render it with
`{% load charts %}{% chart the_chart %}`. All text passed in is already translated.

    stacked_bars(id, title, description, keys, rows, *, threshold=None, threshold_label="",
                 max_total=None, table_open=False, value_heading=_("Number"))
        One horizontal bar per row, split into a segment per key (a vote's levels, the
        statuses of answers). `keys` is a list of `Key(label, tone, pattern="", drawn=True)`;
        `rows` a list of `(label, [value per key])`. A key with `drawn=False` is counted in the
        table and, when not zero, said in words after the bar's label (or under the bar), never
        drawn (a vote's abstentions, which the threshold leaves out). Each bar fills the full width when `max_total` is None (shares:
        a 100% stacked bar); otherwise bars are drawn to the same scale, `max_total` being full
        width. `threshold` (a percentage of the drawn total) draws a dashed line across the bars
        labelled `threshold_label`. One row: the table lists the keys down the side, with each
        number's share; several: one table row per bar, one column per key.

    bar_chart(id, title, description, series, rows, *, max_value=None, percent=False,
              table_open=False)
        Horizontal bars, one bar per series in each row (population share, pool share, panel
        share of each group). `series` is a list of `Key`s, `rows` a list of
        `(label, [value per series])` (numbers or None for "no figure"). Bars share one scale:
        `max_value`, or the largest value. With `percent=True` values are percentages, written
        under `juries.numbers`' rule with a "%" sign.

    progress_bar(id, title, description, done, total, *, label="", tone="blue")
        One bar filled to done/total (reading progress, answers received), with `label` (or
        "3 of 5 (60%)") written under it, and a one-row table.

Each returns a chart object whose geometry (x, width, y of every bar, the threshold's x) is
plain numbers, so tests check the picture against the data, and whose `table` holds exactly the
numbers drawn. `id` must be unique on the page: the title, description and hatching patterns
take their ids from it.

Tests read a rendered chart back with `tests/chart_helpers.py` (`svg_of`, `widths`,
`table_rows`). Callers so far: `voting/charts.py` (vote results, answers), `deliberate/room.py`
(a closed poll).

Tones (`TONES`): green-dark, green, green-light, amber, red, red-dark, blue, blue-light, grey,
grey-light; every tone's text colour meets 4.5:1 on it, and every bar has a dark outline, so
light tones still stand out from the page. Patterns: "" (solid), "hatch", "cross", "dots".
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .numbers import format_percent, percent

WIDTH = 440  # the viewBox width; everything scales from it
FONT = 15  # text size in viewBox units (about 13px on a 390px phone)
LINE = 20  # one line of text
BAR = 30  # a stacked bar's height
THIN_BAR = 18  # one series' bar in a bar chart
GAP = 10
VALUE_ROOM = 70  # room right of a bar chart's bars for the value
CHAR = 0.6  # a character's width, as a share of FONT, for deciding whether a label fits
BOLD_CHAR = 0.7  # bold text, wider
INK = "#0b0c0c"

# tone -> (fill, text colour on it)
TONES = {
    "green-dark": ("#00703c", "#ffffff"),
    "green": ("#3f8f2f", INK),
    "green-light": ("#a6c96a", INK),
    "amber": ("#f0b323", INK),
    "red": ("#d4351c", "#ffffff"),
    "red-dark": ("#942514", "#ffffff"),
    "blue": ("#1d70b8", "#ffffff"),
    "blue-light": ("#5694ca", INK),
    "grey": ("#6f777b", "#ffffff"),
    "grey-light": ("#b1b4b6", INK),
}
PATTERNS = ("", "hatch", "cross", "dots")


@dataclass(frozen=True)
class Key:
    """One kind of segment or one series: its words, its tone, its pattern."""

    label: str
    tone: str = "blue"
    pattern: str = ""
    drawn: bool = True

    def __post_init__(self):
        if self.tone not in TONES:
            raise ValueError(f"Unknown tone {self.tone!r}; choose one of {sorted(TONES)}")
        if self.pattern not in PATTERNS:
            raise ValueError(f"Unknown pattern {self.pattern!r}; choose one of {PATTERNS}")

    @property
    def fill(self):
        return TONES[self.tone][0]

    @property
    def ink(self):
        return TONES[self.tone][1]

    @property
    def line(self):
        """The hatching's colour: darker on tones with white text, lighter on the others, so the
        text on a hatched segment keeps its contrast."""
        return "#000000" if self.ink == "#ffffff" else "#ffffff"


@dataclass
class Shape:
    """A drawn rectangle with the text that goes in it (`text` empty when it does not fit)."""

    key: Key
    value: object
    x: float
    y: float
    width: float
    height: float
    text: str = ""
    text_x: float = 0
    text_y: float = 0
    paint: str = ""  # the fill attribute: a colour, or url(#pattern)

    @property
    def bottom(self):
        return self.y + self.height


@dataclass
class Note:
    text: str
    x: float
    y: float
    anchor: str = "start"


@dataclass
class Table:
    caption: str
    column_headings: list
    rows: list  # (row heading, [cell text])


@dataclass
class Chart:
    id: str
    title: str
    description: str
    template: str
    height: float = 0
    width: int = WIDTH
    table: Table = None
    table_open: bool = False
    keys: list = field(default_factory=list)
    bars: list = field(default_factory=list)  # per row: dict(label, label_y, y, shapes, ...)
    legend: list = field(default_factory=list)  # LegendEntry
    notes: list = field(default_factory=list)  # Note: what is counted but not drawn
    threshold_x: float = None
    threshold_top: float = 0
    threshold_bottom: float = 0
    threshold_label: str = ""
    threshold_label_y: float = 0
    threshold_anchor: str = "start"

    @property
    def view_box(self):
        """Two units of margin all round, so the outlines are not cut at the edges."""
        return f"-2 -2 {self.width + 4} {_r(self.height) + 4}"

    @property
    def title_id(self):
        return f"{self.id}-title"

    @property
    def desc_id(self):
        return f"{self.id}-desc"

    @property
    def patterns(self):
        """The (pattern id, key) pairs this chart's <defs> must hold."""
        seen = {}
        for key in self.keys:
            if key.pattern:
                seen.setdefault(pattern_id(self.id, key), key)
        return list(seen.items())

    @property
    def font(self):
        return FONT


def pattern_id(chart_id, key):
    return f"{chart_id}-{key.pattern}-{key.tone}"


def _r(number):
    """A coordinate as written in the SVG: two decimals are finer than any screen."""
    return round(float(number), 2)


def _paint(chart_id, key):
    return f"url(#{pattern_id(chart_id, key)})" if key.pattern else key.fill


def _fits(text, width):
    return len(text) * FONT * CHAR + 6 <= width


def _number(value):
    """A count or a figure as written in a chart: whole numbers plainly, others under the
    percentage rule's rounding."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return str(value)
    return format_percent(Decimal(str(value)))


@dataclass
class LegendEntry:
    key: Key
    x: float
    y: float  # the swatch's top

    @property
    def text_x(self):
        return self.x + 20

    @property
    def text_y(self):
        return self.y + 12


def _legend(chart, keys, y, columns=2):
    """Lay the keys out in columns from `y`; returns the y under the legend. One column when a
    label would run into the next column's swatch."""
    if any(not _fits(key.label, WIDTH / columns - 24) for key in keys):
        columns = 1
    column_width = WIDTH / columns
    for index, key in enumerate(keys):
        row, column = divmod(index, columns)
        chart.legend.append(LegendEntry(key, column * column_width, y + 4 + row * LINE))
    rows = -(-len(keys) // columns)
    return y + rows * LINE


# --- Stacked bars -----------------------------------------------------------------------------


def stacked_bars(
    id,
    title,
    description,
    keys,
    rows,
    *,
    threshold=None,
    threshold_label="",
    max_total=None,
    table_open=False,
    value_heading=None,
):
    """See the module docstring."""
    chart = Chart(
        id=id,
        title=title,
        description=description,
        template="components/charts/stacked_bars.html",
        keys=list(keys),
        table_open=table_open,
    )
    drawn = [index for index, key in enumerate(keys) if key.drawn]
    y = 0
    if threshold is not None:
        y += LINE  # the threshold's label sits above the first bar
        chart.threshold_label_y = FONT
        chart.threshold_label = threshold_label
        chart.threshold_top = LINE - 2
    for label, values in rows:
        if len(values) != len(keys):
            raise ValueError(f"Row {label!r} has {len(values)} values for {len(keys)} keys")
        y = _stacked_row(chart, label, values, y, max_total) + GAP
    if threshold is not None:
        chart.threshold_x = _r(WIDTH * Decimal(threshold) / 100)
        chart.threshold_anchor = "end" if chart.threshold_x > WIDTH / 2 else "start"
    y = _legend(chart, [keys[index] for index in drawn], y + 4)
    chart.height = y + 4
    chart.table = _stacked_table(title, keys, rows, value_heading or _("Number"))
    return chart


def _stacked_row(chart, label, values, y, max_total):
    """Draw one bar of a stacked chart from `y`; returns the y under it (and its note)."""
    keys = chart.keys
    drawn = [index for index, key in enumerate(keys) if key.drawn]
    bar = {"label": label, "label_y": None, "shapes": []}
    if label:
        bar["label_y"] = y + FONT
        y += LINE + 2
    total = sum(values[index] for index in drawn)
    scale = max_total if max_total is not None else total
    bar.update(y=y, height=BAR, total=total, empty=not scale, text_y=y + BAR / 2 + 5)
    x = 0
    for index in drawn:
        value, key = values[index], keys[index]
        width = _r(WIDTH * value / scale) if scale else 0
        if width:
            shape = Shape(key, value, x, y, width, BAR, paint=_paint(chart.id, key))
            if _fits(str(value), width):
                shape.text, shape.text_x, shape.text_y = (
                    str(value),
                    _r(x + width / 2),
                    bar["text_y"],
                )
            bar["shapes"].append(shape)
        x = _r(x + width)
    bar["width"] = x if scale else WIDTH
    y += BAR
    chart.threshold_bottom = y + 4
    chart.bars.append(bar)
    # What is counted but not drawn (a vote's abstentions) is said in words, when there is any.
    aside = "; ".join(
        f"{key.label}: {value}"
        for key, value in zip(keys, values, strict=True)
        if not key.drawn and value
    )
    after_label = _r(len(label) * FONT * BOLD_CHAR + GAP)
    if aside and label and _fits(aside, WIDTH - after_label):  # on the label's line, after it
        chart.notes.append(Note(aside, after_label, bar["label_y"]))
    elif aside:  # under the bar
        chart.notes.append(Note(aside, 0, y + FONT + 2))
        y += LINE
    return y


def _stacked_table(caption, keys, rows, value_heading):
    if len(rows) == 1:
        values = rows[0][1]
        drawn_total = sum(v for v, key in zip(values, keys, strict=True) if key.drawn)
        body = [
            (key.label, [str(value), _share(value, drawn_total) if key.drawn else ""])
            for key, value in zip(keys, values, strict=True)
        ]
        return Table(caption, ["", value_heading, _("Share")], body)
    body = [
        (label, [str(value) for value in values] + [str(sum(values))]) for label, values in rows
    ]
    return Table(caption, ["", *(key.label for key in keys), _("Total")], body)


def _share(value, total):
    figure = percent(value, total)
    return f"{figure}%" if figure else "–"


# --- Bar chart --------------------------------------------------------------------------------


def bar_chart(
    id, title, description, series, rows, *, max_value=None, percent=False, table_open=False
):
    """See the module docstring."""
    chart = Chart(
        id=id,
        title=title,
        description=description,
        template="components/charts/bar_chart.html",
        keys=list(series),
        table_open=table_open,
    )
    figures = [value for _label, values in rows for value in values if value is not None]
    scale = max_value if max_value is not None else max(figures, default=0)
    area = WIDTH - VALUE_ROOM
    y = _legend(chart, series, 0, columns=1 if len(series) > 2 else 2) + GAP
    for label, values in rows:
        if len(values) != len(series):
            raise ValueError(f"Row {label!r} has {len(values)} values for {len(series)} series")
        bar = {"label": label, "label_y": y + FONT, "shapes": []}
        y += LINE + 2
        for key, value in zip(series, values, strict=True):
            width = _r(area * Decimal(str(value)) / Decimal(str(scale))) if scale and value else 0
            shape = Shape(key, value, 0, y, width, THIN_BAR, paint=_paint(id, key))
            shape.text = _figure(value, percent)
            shape.text_x, shape.text_y = width + 4, y + THIN_BAR / 2 + 5
            bar["shapes"].append(shape)
            y += THIN_BAR + 3
        chart.bars.append(bar)
        y += GAP
    chart.height = y
    chart.table = Table(
        title,
        ["", *(key.label for key in series)],
        [(label, [_figure(value, percent) for value in values]) for label, values in rows],
    )
    return chart


def _figure(value, percent):
    if value is None:
        return "–"
    return f"{_number(value)}%" if percent else _number(value)


# --- Progress bar -----------------------------------------------------------------------------


def progress_bar(id, title, description, done, total, *, label="", tone="blue"):
    """See the module docstring."""
    key = Key(label or title, tone)
    chart = Chart(
        id=id,
        title=title,
        description=description,
        template="components/charts/progress_bar.html",
        keys=[key],
    )
    width = _r(WIDTH * done / total) if total else 0
    share = percent(done, total)
    if not label:
        label = (
            _("%(done)s of %(total)s (%(share)s%%)")
            % {"done": done, "total": total, "share": share}
            if total
            else _("%(done)s of %(total)s") % {"done": done, "total": total}
        )
    chart.bars.append(
        {
            "label": label,
            "label_y": BAR + LINE,
            "y": 0,
            "height": BAR,
            "width": WIDTH,
            "shapes": [Shape(key, done, 0, 0, width, BAR, paint=key.fill)] if width else [],
        }
    )
    chart.height = BAR + LINE + 6
    chart.table = Table(
        title,
        ["", _("Done"), _("Of"), _("Share")],
        [(title, [str(done), str(total), f"{share}%" if share else "–"])],
    )
    return chart
