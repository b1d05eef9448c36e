"""Template tags other pages use to show the report's state (being built)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def report_banner(context, access):
    return ""
