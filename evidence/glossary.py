"""Marking glossary terms in evidence text.

The first use of each term in a text becomes a link to its definition, which the page lists under
"Words used here". Plain links and a list work with a keyboard, a screen reader and no JavaScript.
"""

import re

from .text import render_markdown

TAG = re.compile(r"(<[^>]+>)")


def _pattern(terms):
    words = sorted((t.term for t in terms), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def mark_terms(html, terms):
    """Return (html with each term's first use linked, the terms used).

    `html` must already be clean (evidence.text.render_markdown): matched words are kept as they
    are, and only text outside tags and outside existing links is changed."""
    terms = list(terms)
    if not terms or not html:
        return html, []
    by_word = {t.term.lower(): t for t in terms}
    pattern = _pattern(terms)
    used, out, inside_link = [], [], False
    for part in TAG.split(html):
        if part.startswith("<"):
            inside_link = part.startswith("<a") or (inside_link and not part.startswith("</a"))
            out.append(part)
            continue
        if inside_link:
            out.append(part)
            continue
        out.append(pattern.sub(lambda m: _link(m, by_word, used), part))
    return "".join(out), used


def _link(match, by_word, used):
    term = by_word[match.group(1).lower()]
    if term in used:
        return match.group(1)
    used.append(term)
    return (
        f'<a class="glossary-term" href="#{term.anchor}" aria-describedby="{term.anchor}">'
        f"{match.group(1)}</a>"
    )


def item_body(item, jury):
    """An item's text as safe HTML with the jury's glossary terms marked, and the terms used."""
    return mark_terms(render_markdown(item.body), jury.glossary.all())
