"""Reading a chart back from the HTML it renders: the SVG's shapes and the table's cells."""

import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser

from django.template import Context, Template


def render(chart):
    return Template("{% load charts %}{% chart c %}").render(Context({"c": chart}))


def svg_of(html, chart_id=None):
    """The chart's <svg> (the first on the page, or the one in the figure `chart_id`)."""
    start = html.index(f'<figure class="chart" id="{chart_id}"') if chart_id else 0
    found = re.search(r"<svg.*?</svg>", html[start:], re.S)
    assert found, html
    return ElementTree.fromstring(found.group(0))


class TableCells(HTMLParser):
    """Every row of every table, as the text of its cells."""

    def __init__(self):
        super().__init__()
        self.rows, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def table_rows(html):
    parser = TableCells()
    parser.feed(html)
    return parser.rows


def widths(svg, css_class="chart-segment"):
    return [float(rect.get("width")) for rect in svg.iter("rect") if rect.get("class") == css_class]
