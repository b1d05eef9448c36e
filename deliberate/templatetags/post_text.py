from django import template
from django.utils.safestring import mark_safe

from ..text import post_html

register = template.Library()


@register.filter
def post_markdown(text):
    """A post's Markdown as safe HTML (see deliberate.text)."""
    return mark_safe(post_html(text))  # noqa: S308  (nh3 has cleaned it)
