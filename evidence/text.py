"""Safe user text: Markdown rendered to HTML, then cleaned to a small allow-list.

markdown-it-py parses CommonMark (plus tables) in time linear in the text's length, so the
largest text a field allows (juries.text_limits) renders quickly however it is written: deeply
nested quotes and lists, thousands of unclosed emphasis markers or brackets. Raw HTML in the text
is shown as typed rather than read as markup, so nothing a person writes ("<name>") vanishes.
"""

import nh3
from markdown_it import MarkdownIt

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


_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")


def render_markdown(text):
    """HTML for `text`, safe to show: no scripts, styles, images or event handlers."""
    html = _MARKDOWN.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
