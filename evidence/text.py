"""Safe user text: Markdown rendered to HTML, then cleaned to a small allow-list.

cmark-gfm (GitHub's CommonMark parser, in C) reads CommonMark plus tables in time linear in the
text's length, with a small constant, so the largest text a field allows (juries.text_limits)
renders quickly however it is written (tests/bench/test_text_bench.py). Raw HTML in the text is
left out by cmark-gfm and anything else nh3 would not keep is removed by nh3, as before.

Two shapes of Markdown make far more work than their length: quotes or lists nested thousands
deep (cleaning the HTML is quadratic in the depth) and tables hundreds of columns wide whose short
rows are each padded to full width (a few kilobytes of text become megabytes of HTML, table after
table). No real text has either; such a text is shown as plain paragraphs instead, every word
kept. Tables are measured before parsing, the HTML's depth and size after.
"""

import re
from itertools import accumulate

import nh3
from cmarkgfm import cmark
from django.utils.html import linebreaks

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


MAX_DEPTH = 40  # elements inside one another; real text stays below ten
# Characters of HTML per character of text: prose makes about one, a list or table of short
# entries two or three. Cleaning and marking the glossary take time in proportion to the HTML.
MAX_GROWTH = 5
# Each tag: closing ("/"), empty (a void element's name) or opening (neither).
_TAG = re.compile(r"<(/?)(?:(br|hr|img|input)\b|[a-z])")


def _too_deep(html):
    steps = (0 if void else -1 if closing else 1 for closing, void in _TAG.findall(html))
    return max(accumulate(steps, initial=0)) > MAX_DEPTH


_CONTAINER_MARKS = " \t>*+-.)0123456789"  # quotes and list items around a table's lines
_DELIMITER_ROW = set("|-: \t")  # the line under a table's header: |---|:--:|
_EMPTY_CELL = len("<td></td>\n")


def _table_cells(text):
    """At most how many cells the tables in `text` make: the widest delimiter row's columns, once
    for each line that follows it up to a blank line (short rows are padded to full width)."""
    if "|" not in text:
        return 0
    cells = columns = 0
    for line in text.splitlines():
        if not line.strip(" \t>"):
            columns = 0
            continue
        cells += columns
        core = line.lstrip(_CONTAINER_MARKS)
        if "|" in core and "-" in core and set(core) <= _DELIMITER_ROW:
            columns = max(columns, core.count("|") + 1)
    return cells


def render_markdown(text):
    """HTML for `text`, safe to show: no scripts, styles, images or event handlers."""
    text = text or ""
    most = MAX_GROWTH * len(text) + 1000
    html = None
    if _table_cells(text) * _EMPTY_CELL <= most:
        html = cmark.markdown_to_html_with_extensions(text, extensions=["table"])
    if html is None or len(html) > most or _too_deep(html):
        html = linebreaks(text, autoescape=True)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
