"""One rule for every percentage people read: rounded half up to a tenth, no trailing ".0"."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from juries.numbers import format_percent, percent, percent_value


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (11, 12, "91.7"),  # 91.66…: rounded, not cut to 91.6
        (1, 3, "33.3"),
        (2, 3, "66.7"),
        (1, 8, "12.5"),
        (1, 16, "6.3"),  # 6.25: half goes up
        (12, 12, "100"),  # the same form on every page, never "100.0"
        (0, 12, "0"),
    ],
)
def test_a_share_is_rounded_half_up_to_one_decimal_without_a_trailing_zero(part, whole, shown):
    assert percent(part, whole) == shown


def test_nothing_out_of_nothing_is_no_share_at_all():
    assert percent(0, 0) == ""
    assert percent_value(0, 0) is None
    assert percent(3, None) == ""


def test_the_number_behind_the_figure_is_rounded_the_same_way():
    assert percent_value(11, 12) == Decimal("91.7")
    assert percent_value(12, 12) == Decimal("100.0")


def test_an_already_computed_percentage_follows_the_same_rule():
    assert format_percent(Decimal("100.0")) == "100"
    assert format_percent(91.66) == "91.7"
    assert format_percent(None) == ""


def test_the_decimal_mark_follows_the_language():
    with translation.override("fr"):
        assert percent(11, 12) == "91,7"


def test_the_template_filters_apply_the_rule():
    template = Template("{% load ui %}{{ part|percent:whole }}% {{ value|percent_figure }}%")
    shown = template.render(Context({"part": 11, "whole": 12, "value": 100.0}))
    assert shown == "91.7% 100%"
