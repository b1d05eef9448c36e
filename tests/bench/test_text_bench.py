"""Benchmark: rendering the longest text each kind of field allows, written to be slow to parse.

A post (LONG), a witness's answer (LONG), an evidence item's text with the jury's glossary marked
(DOCUMENT) and a witness statement (DOCUMENT), each filled to its limit with one pattern that
troubles Markdown parsers: deep quotes and lists, thousands of unclosed emphasis markers,
brackets and backticks, long and wide tables. Prints the time of each; asserts nothing about
time (see the README). Run with `make bench`.
"""

import time

import pytest

from deliberate.text import post_html
from evidence.glossary import mark_terms
from evidence.models import GlossaryTerm
from evidence.text import render_markdown
from juries.text_limits import DOCUMENT, LONG

pytestmark = pytest.mark.bench

RUNS = 3


def _filled(unit, limit, head=""):
    """`head`, then `unit` repeated, cut to exactly `limit` characters."""
    body = unit * ((limit - len(head)) // len(unit) + 1)
    return (head + body)[:limit]


def _nested_lists(limit):
    lines = "".join("  " * depth + "- item\n" for depth in range(400))
    return _filled(lines, limit)


def _wide_table(limit):
    header = "|" + "a|" * 300 + "\n|" + "-|" * 300 + "\n"
    return _filled("|x\n", limit, head=header)  # every short row is padded to 300 cells


PATTERNS = {
    "plain prose": lambda n: _filled("The score is checked by a person before any letter. ", n),
    "nested quotes": lambda n: _filled("> " * 500 + "quoted\n", n),
    "quotes nested to the end": lambda n: ">" * n,
    "lists nested to the end": lambda n: _filled("- ", n),
    "alternating emphasis": lambda n: _filled("*_", n // 2) + "a" + _filled("_*", n // 2 - 1),
    "nested lists": _nested_lists,
    "unclosed emphasis": lambda n: _filled("*a **b _c __d ", n),
    "unclosed brackets": lambda n: _filled("[a](b [c ![d <e ", n),
    "open brackets only": lambda n: "[" * n,
    "emphasis markers only": lambda n: _filled("*_", n),
    "raw HTML nested": lambda n: _filled("<div><blockquote>", n),
    "backtick runs": lambda n: _filled("` `` ``` a ", n),
    "long table": lambda n: _filled(
        "| x | *y* | [z](https://example.org) |\n", n, head="| a | b | c |\n|---|---|---|\n"
    ),
    "wide table": _wide_table,
    "wide tables, quoted": lambda n: _filled(
        "".join(f"> {line}\n" for line in _wide_table(3000).splitlines()) + "\n", n
    ),
    "table of short rows": lambda n: _filled("|x\n", n, head="|a|b|c|\n|-|-|-|\n"),
}

_TERMS = (
    "score algorithm fraud risk threshold appeal data matching eligibility model audit bias "
    "benefit claimant review tribunal evidence regulator officer letter"
)
GLOSSARY = [GlossaryTerm(pk=n, term=word) for n, word in enumerate(_TERMS.split(), start=1)]

KINDS = {
    "post": (LONG, lambda text: (post_html.cache_clear(), post_html(text))[1]),
    "witness answer": (LONG, render_markdown),
    "evidence text, glossary marked": (
        DOCUMENT,
        lambda text: mark_terms(render_markdown(text), GLOSSARY)[0],
    ),
    "witness statement": (DOCUMENT, render_markdown),
}


def _slowest_of(render, text):
    worst = 0.0
    for _ in range(RUNS):
        started = time.perf_counter()
        render(text)
        worst = max(worst, time.perf_counter() - started)
    return worst * 1000


@pytest.mark.parametrize("kind", KINDS)
def test_bench_the_longest_text_of_each_kind_renders_quickly(kind):
    limit, render = KINDS[kind]
    rows = [(name, _slowest_of(render, make(limit))) for name, make in PATTERNS.items()]
    print(f"\n{kind}: {limit:,} characters, slowest of {RUNS} runs:")
    for name, ms in rows:
        print(f"  {name:<22} {ms:8.1f} ms")
    worst = max(ms for _name, ms in rows)
    print(f"  {'worst':<22} {worst:8.1f} ms ({'under' if worst < 1000 else 'OVER'} a second)")
