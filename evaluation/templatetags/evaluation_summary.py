"""`{% evaluation_summary jury as summary %}`: the evaluation's results for the jury's public page,
once its report is published (the Response stage), from five answers on as everywhere."""

from django import template

from ..models import Kind
from ..results import change_chart, results_for

register = template.Library()


@register.simple_tag
def evaluation_summary(jury):
    if not jury.is_in_response:
        return None
    found = results_for(jury, kinds=[Kind.START, Kind.END])
    if not found:
        return None
    return {"results": found, "change": change_chart(jury, found)}
