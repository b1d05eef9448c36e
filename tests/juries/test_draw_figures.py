"""The lottery's numbers as pictures: the panel drawn against the quotas, the quotas against the
population and the pool, and the spread of the chances of selection. Each chart is checked
against the numbers it draws, and the page carries the same numbers in a table."""

import re
from decimal import Decimal

import pytest

from juries.models import CategoryValue, Jury, Visibility
from juries.selection import figures
from juries.selection.disclosure import SMALL, WITHHELD
from juries.selection.panel import panel_places

from .draw_helpers import QUOTAS, at_selection, drawn_draw, make_pool, text_of, url


@pytest.fixture
def drawn(jury, facilitator, django_capture_on_commit_callbacks):
    at_selection(jury)
    make_pool(jury)
    CategoryValue.objects.filter(category__jury=jury, label="female").update(population_share=51)
    CategoryValue.objects.filter(category__jury=jury, label="male").update(population_share=49)
    return drawn_draw(jury, facilitator, django_capture_on_commit_callbacks)


def panel_counts(draw):
    pool = draw.inputs["pool"]
    counts = {}
    for place in panel_places(draw):
        for name, label in pool[place.pseudonym].items():
            counts[name, label] = counts.get((name, label), 0) + 1
    return counts


def table_rows(page, caption):
    """The body rows of the table with this caption, as lists of cell texts."""
    table = page.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_draw_page_shows_the_panel_drawn_against_the_quotas(
    client, jury, facilitator, observer, drawn
):
    counts = panel_counts(drawn)
    for person in (facilitator, observer):
        client.force_login(person)
        page = text_of(client.get(url("draw", jury)))

        assert "The panel against the quotas" in page
        assert page.count("<svg") >= 2 and "<title" in page and "<desc" in page
        rows = table_rows(page, "gender: the panel drawn against the quotas")
        by_answer = {row[0]: row for row in rows}
        for label, (low, high) in QUOTAS["gender"].items():
            row = by_answer[label]
            assert row[1] == f"{low} to {high}"
            assert row[2] == {"female": "51%", "male": "49%"}[label]
            assert row[4].startswith(str(counts["gender", label]))
            assert row[5] == "Yes", "every panel drawn meets the quotas"


def test_the_panel_chart_draws_the_shares_in_its_table(drawn):
    places = list(panel_places(drawn))
    blocks = figures.panel_against_quotas(drawn, places)

    assert [block["name"] for block in blocks] == list(QUOTAS)
    for block in blocks:
        chart = block["chart"]
        assert len(chart.bars) == len(block["rows"])
        widest = max(s.width for bar in chart.bars for s in bar["shapes"])
        largest = max(s.value for bar in chart.bars for s in bar["shapes"] if s.value is not None)
        for bar, row in zip(chart.bars, block["rows"], strict=True):
            population, pool, panel = bar["shapes"]
            assert (population.value, pool.value, panel.value) == (
                row.population_share,
                row.pool_share,
                row.panel_share,
            )
            assert panel.value == Decimal(row.panel_count * 100) / len(places)
            assert panel.width == pytest.approx(widest * float(panel.value / largest), abs=0.02)
            assert f"{row.minimum} to {row.maximum}" in bar["label"]


def test_the_spread_of_chances_counts_every_volunteer_once_between_lowest_and_highest(drawn):
    spread = figures.chance_spread(drawn.commitment)

    assert sum(count for _low, _high, count in spread["bands"]) == drawn.volunteer_count
    assert float(spread["lowest"]) == pytest.approx(drawn.lowest_probability * 100, abs=1e-6)
    assert float(spread["average"]) == pytest.approx(drawn.mean_probability * 100, abs=1e-6)
    assert spread["bands"][0][0] == spread["lowest"]
    assert spread["bands"][-1][1] == spread["highest"]
    drawn_counts = [bar["shapes"][0].value for bar in spread["chart"].bars]
    assert drawn_counts == [count for _low, _high, count in spread["bands"]]
    assert [row[1] for row in spread["chart"].table.rows] == [[str(c)] for c in drawn_counts]


def test_the_quotas_page_draws_the_quotas_against_the_population_and_the_pool(
    client, jury, facilitator
):
    at_selection(jury)
    make_pool(jury)
    CategoryValue.objects.filter(category__jury=jury, label="female").update(population_share=51)
    client.force_login(facilitator)

    response = client.get(url("quotas", jury))

    page = text_of(response)
    assert "gender: the quotas against the population and the pool" in page
    block = response.context["blocks"][0]
    chart = block["chart"]
    for bar, (row, _cells) in zip(chart.bars, block["rows"], strict=True):
        population, pool, low, high = (shape.value for shape in bar["shapes"])
        assert bar["label"] == row.value.label
        assert population == row.value.population_share
        assert pool == Decimal(row.pool_count * 100) / 40
        assert (low, high) == (Decimal(row.minimum * 100) / 8, Decimal(row.maximum * 100) / 8)
    assert chart.table.rows[0] == ("female", ["51%", "60%", "37.5%", "62.5%"])


def test_the_public_page_shows_the_panel_against_the_quotas_hiding_small_counts(
    client, jury, drawn
):
    Jury.objects.filter(pk=jury.pk).update(visibility=Visibility.PUBLIC)

    page = text_of(client.get(url("selection-public", jury)))

    assert "The panel against the quotas" in page
    assert "Everyone&#x27;s chance of being selected" in page or "Everyone's chance" in page
    few = list(panel_places(drawn))[:2]  # a panel of two: every count on it is 1 or 2, or 0
    for block in figures.panel_against_quotas(drawn, few, public=True):
        for row, bar in zip(block["rows"], block["chart"].bars, strict=True):
            if row.panel_count:
                assert row.panel_shown in (SMALL, WITHHELD)
                assert row.panel_share is None and bar["shapes"][2].value is None


def test_the_lowest_chance_reads_the_same_in_the_summary_and_the_spread(
    client, jury, facilitator, drawn
):
    client.force_login(facilitator)
    page = text_of(client.get(url("draw", jury)))

    summary = re.search(r"Lowest chance of being selected</dt><dd>([\d.]+)%</dd>", page).group(1)
    spread = re.search(r"a chance of at least ([\d.]+)%", page).group(1)
    assert summary == spread
    assert re.fullmatch(r"\d+(\.\d)?", summary), "one decimal at most, as every percentage"
