from django import template
from django.utils.safestring import mark_safe

from evidence.text import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Render Markdown as cleaned HTML (see evidence.text)."""
    return mark_safe(render_markdown(text))  # noqa: S308  (nh3 has cleaned it)
