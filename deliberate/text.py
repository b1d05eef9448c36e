"""Posts: the same safe Markdown as evidence, without headings, which would break the page's
heading order under each post's author line."""

from functools import lru_cache

import nh3

from evidence.text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown

POST_TAGS = ALLOWED_TAGS - {"h2", "h3", "h4"}


@lru_cache(maxsize=1024)  # an event renders the same post once per role; pages show it again
def post_html(text):
    return nh3.clean(
        render_markdown(text),
        tags=POST_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
