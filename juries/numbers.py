"""How a percentage is shown to people: one rule for every page, email and PDF.

The rule: round half up to one decimal place and drop a trailing ".0", so 11 of 12 is "91.7",
12 of 12 is "100" and 1 of 8 is "12.5" (most pages already dropped the ".0"; the others now agree).
The decimal mark follows the active language. The figure never carries the "%" sign: that stays in
the translated sentence around it ("({{ percent }}%)"), where some languages put a space before it.

Machine-readable exports (the report's JSON and CSV) keep the number from `percent_value`.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

TENTH = Decimal("0.1")


def percent_value(part, whole):
    """`part` as a percentage of `whole`, rounded half up to a tenth (a Decimal); None when `whole`
    is 0 or None, since there is then no share to show."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def format_percent(value):
    """An already computed percentage (a number) shown under the rule above; "" for None."""
    if value is None or value == "":
        return ""
    value = Decimal(str(value)).quantize(TENTH, rounding=ROUND_HALF_UP)
    places = 0 if value == value.to_integral_value() else 1
    return number_format(value, decimal_pos=places)


def percent(part, whole):
    """`part` of `whole` as people read it ("91.7", "100"), without the "%" sign; "" when `whole`
    is 0, so callers show their own words for "no share"."""
    return format_percent(percent_value(part, whole))
