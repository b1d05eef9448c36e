"""Safe user text: Markdown rendered to HTML, then cleaned to a small allow-list.

cmark-gfm (GitHub's CommonMark parser, in C) reads CommonMark plus tables in time linear in the
text's length, with a small constant, so the largest text a field allows (juries.text_limits)
renders quickly however it is written (tests/bench/test_text_bench.py). Raw HTML in the text is
left out by cmark-gfm and anything else nh3 would not keep is removed by nh3, as before.

Two shapes of Markdown make HTML that costs more to clean than to parse: quotes or lists
nested thousands deep (cleaning is quadratic in the depth) and a table hundreds of columns wide
whose short rows are padded to full width (a few kilobytes become megabytes). No real text has
either; such a text is shown as plain paragraphs instead, every word kept.
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
MAX_GROWTH = 20  # characters of HTML per character of text; real text stays below ten
# Each tag: closing ("/"), empty (a void element's name) or opening (neither).
_TAG = re.compile(r"<(/?)(?:(br|hr|img|input)\b|[a-z])")


def _too_deep(html):
    steps = (0 if void else -1 if closing else 1 for closing, void in _TAG.findall(html))
    return max(accumulate(steps, initial=0)) > MAX_DEPTH


def render_markdown(text):
    """HTML for `text`, safe to show: no scripts, styles, images or event handlers."""
    text = text or ""
    html = cmark.markdown_to_html_with_extensions(text, extensions=["table"])
    if len(html) > MAX_GROWTH * len(text) + 1000 or _too_deep(html):
        html = linebreaks(text, autoescape=True)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
