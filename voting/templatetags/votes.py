"""Template tags other pages use to show this part of the decisions (being built)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def vote_panel(context, subject, access):
    return ""


@register.simple_tag(takes_context=True)
def vote_banner(context, access):
    return ""
