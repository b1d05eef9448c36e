"""`{% chart the_chart %}`: draw a chart built by `juries.charts` (its SVG and its table)."""

from django import template
from django.template.loader import get_template

register = template.Library()


@register.simple_tag
def chart(the_chart):
    """Render the chart's own template; an empty string when there is no chart to draw."""
    if not the_chart:
        return ""
    return get_template(the_chart.template).render({"chart": the_chart})
