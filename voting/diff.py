"""A readable, word-by-word comparison of two wordings, as HTML.

Removed words are wrapped in <del>, added words in <ins>, each preceded by visually hidden text
("removed:", "added:") so a screen reader says what changed, not only a colour or a strike-through
does. Every word is HTML-escaped: the wordings are typed by jurors.
"""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

BREAK = "\n"
# Words, and line breaks as tokens of their own so paragraphs survive the comparison.
TOKENS = re.compile(r"\n|[^\s]+")


def tokens(text):
    return TOKENS.findall((text or "").replace("\r\n", "\n").replace("\r", "\n"))


def _render(words):
    """Escaped words joined by spaces, with line breaks as <br>."""
    out = []
    for word in words:
        if word == BREAK:
            out.append("<br>")
        else:
            if out and out[-1] != "<br>":
                out.append(" ")
            out.append(escape(word))
    return "".join(out)


def _marked(tag, hidden, words):
    return f'<{tag}><span class="visually-hidden">{escape(hidden)} </span>{_render(words)}</{tag}>'


def diff_parts(old, new):
    """The comparison as (operation, words) pairs: "equal", "removed" or "added"."""
    before, after = tokens(old), tokens(new)
    parts = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("equal", before[i1:i2]))
            continue
        if i2 > i1:
            parts.append(("removed", before[i1:i2]))
        if j2 > j1:
            parts.append(("added", after[j1:j2]))
    return parts


def word_diff(old, new):
    """HTML showing how `new` differs from `old`, word by word. Safe to put in a template."""
    labels = {"removed": ("del", _("removed:")), "added": ("ins", _("added:"))}
    pieces = []
    for op, words in diff_parts(old, new):
        if op == "equal":
            pieces.append(_render(words))
        else:
            tag, hidden = labels[op]
            pieces.append(_marked(tag, hidden, words))
    # Spaces between pieces, except around line breaks.
    html = ""
    for piece in pieces:
        if html and not html.endswith("<br>") and not piece.startswith("<br>"):
            html += " "
        html += piece
    return mark_safe(html)  # noqa: S308 - every word above went through escape()
