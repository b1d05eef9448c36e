"""Avatars as initials, for people who post and speak: `components/avatar.html`."""

import zlib

from django import template

register = template.Library()

# How many background shades there are: `.avatar--0` to `.avatar--7` in site.css, each dark
# enough for white initials at WCAG AA (checked in tests/juries/test_avatars.py).
SHADES = 8


@register.filter
def initials(name):
    """Up to two capital letters: the first of the first and of the last word ("Grace O." is
    "GO", "Jo" is "J"); "?" for a name with no letter."""
    words = ["".join(ch for ch in word if ch.isalpha()) for word in str(name or "").split()]
    words = [word for word in words if word]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


@register.filter
def avatar_shade(name):
    """The same shade for the same name on every page and every server (not Python's hash())."""
    return zlib.crc32(str(name or "").encode()) % SHADES
