from django import template

from ..room import sitting_record as record_of

register = template.Library()


@register.simple_tag
def sitting_record(sitting):
    """`{% sitting_record sitting as record %}`: see deliberate.room.sitting_record."""
    return record_of(sitting)
