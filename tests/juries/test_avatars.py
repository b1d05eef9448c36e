"""Avatars as initials (components/avatar.html): the letters, the same shade for the same name,
and white initials readable on every shade (WCAG AA, 4.5:1)."""

import re
from pathlib import Path

from django.template.loader import render_to_string

from juries.templatetags.avatars import SHADES, avatar_shade, initials

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"


def contrast(hex_a, hex_b):
    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted([luminance(hex_a), luminance(hex_b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_initials_come_from_the_first_and_last_word_of_the_public_name():
    assert initials("Grace O.") == "GO"
    assert initials("Jo") == "J"
    assert initials("mary-anne de la cruz") == "MC"
    assert initials("Élodie Ünal") == "ÉÜ"
    assert initials("  ") == "?"


def test_a_name_keeps_its_shade_and_every_shade_is_used():
    assert avatar_shade("Grace O.") == avatar_shade("Grace O.")
    names = [f"Juror {n}" for n in range(200)]
    assert {avatar_shade(name) for name in names} == set(range(SHADES))


def test_white_initials_are_readable_on_every_shade():
    css = CSS.read_text()
    shades = dict(re.findall(r"\.avatar--(\d) \{ background: (#[0-9a-f]{6}); \}", css))
    assert sorted(shades) == [str(n) for n in range(SHADES)]
    assert re.search(r"\.avatar \{[^}]*color: #fff;", css)
    for shade, colour in shades.items():
        assert contrast(colour, "#ffffff") >= 4.5, (shade, colour)


def test_the_avatar_is_hidden_from_screen_readers():
    html = render_to_string("components/avatar.html", {"name": "Grace O."})
    assert 'aria-hidden="true"' in html
    assert ">GO</span>" in html
