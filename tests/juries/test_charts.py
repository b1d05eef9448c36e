"""The charts draw what their data says: bar widths in proportion, the threshold where it is
set, segments summing to the whole, a title and description named by the SVG, and a table
holding the same numbers."""

import pytest

from juries.charts import WIDTH, Key, bar_chart, progress_bar, stacked_bars
from tests.chart_helpers import render, svg_of, table_rows, widths

LEVELS = [
    Key("Strongly support", "green-dark"),
    Key("Support", "green"),
    Key("Can live with it", "green-light"),
    Key("Oppose", "red", "hatch"),
    Key("Strongly oppose", "red-dark", "cross"),
    Key("Abstained", "grey", drawn=False),
]


def test_a_vote_bar_splits_the_ballots_that_took_a_side_and_marks_the_threshold():
    chart = stacked_bars(
        "rec-1",
        "Ballots on recommendation 1",
        "12 ballots took a side; 12 accepted it.",
        LEVELS,
        [("", [6, 3, 1, 2, 0, 1])],
        threshold=80,
        threshold_label="Threshold 80%",
    )
    html = render(chart)
    svg = svg_of(html)
    drawn = widths(svg, "chart-segment")
    assert drawn == pytest.approx(
        [WIDTH * 6 / 12, WIDTH * 3 / 12, WIDTH * 1 / 12, WIDTH * 2 / 12], abs=0.01
    )
    assert sum(drawn) == pytest.approx(WIDTH, abs=0.01)
    threshold = next(line for line in svg.iter("line") if line.get("class") == "chart-threshold")
    assert float(threshold.get("x1")) == pytest.approx(WIDTH * 0.8)
    texts = [text.text for text in svg.iter("text")]
    assert "Threshold 80%" in texts and "Abstained: 1" in texts  # said, never drawn
    assert [row[:3] for row in table_rows(html)[1:]] == [
        ["Strongly support", "6", "50%"],
        ["Support", "3", "25%"],
        ["Can live with it", "1", "8.3%"],
        ["Oppose", "2", "16.7%"],
        ["Strongly oppose", "0", "0%"],
        ["Abstained", "1", ""],
    ]


def test_every_chart_is_an_image_named_by_its_title_and_description():
    charts = [
        stacked_bars("s", "Answers", "Three answered.", LEVELS[:2], [("", [2, 1])]),
        bar_chart("b", "Shares", "Pool against panel.", LEVELS[:2], [("Age 16-29", [20, 25])]),
        progress_bar("p", "Reading", "Two of three items read.", 2, 3),
    ]
    for chart in charts:
        html = render(chart)
        svg = svg_of(html)
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == f"{chart.id}-title {chart.id}-desc"
        assert svg.find("title").get("id") == f"{chart.id}-title"
        assert svg.find("title").text == chart.title
        assert svg.find("desc").text == chart.description
        assert f"<caption>{chart.title}</caption>" in html


def test_stacked_bars_on_one_scale_are_as_long_as_their_totals():
    chart = stacked_bars(
        "packs",
        "Items by standpoint",
        "Two packs.",
        LEVELS[:3],
        [("Pack 1", [2, 2, 0]), ("Pack 2", [1, 0, 1])],
        max_total=8,
    )
    svg = svg_of(render(chart))
    assert widths(svg, "chart-segment") == pytest.approx([110, 110, 55, 55], abs=0.01)
    assert [bar["width"] for bar in chart.bars] == pytest.approx([WIDTH / 2, WIDTH / 4], abs=0.01)
    assert table_rows(render(chart))[1:] == [
        ["Pack 1", "2", "2", "0", "4"],
        ["Pack 2", "1", "0", "1", "2"],
    ]


def test_a_bar_chart_draws_each_series_to_one_scale_and_writes_its_value():
    series = [Key("Population", "grey"), Key("Pool", "blue-light", "dots"), Key("Panel", "blue")]
    chart = bar_chart(
        "quota",
        "Age groups",
        "Shares of each age group.",
        series,
        [("16-29", [20, 25, 12.5]), ("30-64", [50, 40, None])],
        max_value=50,
        percent=True,
    )
    html = render(chart)
    svg = svg_of(html)
    full = WIDTH - 70
    assert widths(svg, "chart-bar") == pytest.approx(
        [full * 0.4, full * 0.5, full * 0.25, full, full * 0.8], abs=0.01
    )
    assert {"20%", "25%", "12.5%", "50%", "40%", "–"} <= {text.text for text in svg.iter("text")}
    assert table_rows(html)[1:] == [["16-29", "20%", "25%", "12.5%"], ["30-64", "50%", "40%", "–"]]


def test_a_progress_bar_is_filled_to_the_share_done():
    chart = progress_bar("read", "Evidence read", "You have read 3 of 8 items.", 3, 8)
    html = render(chart)
    assert widths(svg_of(html), "chart-segment") == pytest.approx([WIDTH * 3 / 8], abs=0.01)
    assert "3 of 8 (37.5%)" in html
    assert table_rows(html)[1:] == [["Evidence read", "3", "8", "37.5%"]]


def test_a_bar_with_nothing_to_count_says_so_instead_of_drawing():
    chart = stacked_bars("none", "Answers", "No answers yet.", LEVELS[:2], [("", [0, 0])])
    html = render(chart)
    assert widths(svg_of(html), "chart-segment") == []
    assert "Nothing to show yet" in html


def test_a_row_with_the_wrong_number_of_values_is_refused():
    with pytest.raises(ValueError):
        stacked_bars("bad", "T", "D", LEVELS[:2], [("", [1])])


def test_a_key_too_long_for_half_the_width_puts_the_legend_in_one_column():
    short = stacked_bars("a", "A", "A", [Key("Yes", "green"), Key("No", "red")], [("", [1, 1])])
    long = stacked_bars(
        "b",
        "B",
        "B",
        [Key("People with lived experience", "green"), Key("Public bodies", "blue")],
        [("", [1, 1])],
    )

    assert len({entry.x for entry in short.legend}) == 2
    assert {entry.x for entry in long.legend} == {0}
    assert long.legend[1].y > long.legend[0].y
