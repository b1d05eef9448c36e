from django import template
from django.utils.safestring import mark_safe

from evidence.questions import may_support
from evidence.text import render_markdown
from juries.permissions import JuryAccess

register = template.Library()


@register.filter
def markdown(text):
    """Render Markdown as cleaned HTML (see evidence.text)."""
    return mark_safe(render_markdown(text))  # noqa: S308  (nh3 has cleaned it)


@register.filter
def may_support_question(access, question):
    """`{% if access|may_support_question:question %}`: see evidence.questions.may_support."""
    return isinstance(access, JuryAccess) and may_support(access, question)
