"""The statements of dissent about a recommendation (or the whole report), for any page.

`{% dissent_panel recommendation access %}` lists the statements with how many jurors signed
and their names, the reason in place of a hidden one, and the links to write or sign when the
person may. Pass the jury instead of a recommendation for the statements about the whole report.
On a page listing many recommendations, prefetch `dissents__signers__juror` so the panel asks
the database nothing more.
"""

from django import template

from juries.models import Jury
from juries.permissions import Action

from ..dissent import mark_for
from ..models import Dissent

register = template.Library()


def statements_about(subject):
    """The statements about a recommendation, or about the whole report when given the jury."""
    if isinstance(subject, Jury):
        return list(
            Dissent.objects.filter(jury=subject, recommendation=None).prefetch_related(
                "signers__juror"
            )
        )
    prefetched = getattr(subject, "_prefetched_objects_cache", {})
    if "dissents" in prefetched:
        return list(subject.dissents.all())
    return list(subject.dissents.prefetch_related("signers__juror"))


@register.inclusion_tag("voting/reports/_dissent_panel.html", takes_context=True)
def dissent_panel(context, subject, access):
    dissents = mark_for(statements_about(subject), access)
    is_jury = isinstance(subject, Jury)
    return {
        "dissents": dissents,
        "access": access,
        "may": access.may,
        "jury": access.jury,
        "recommendation": None if is_jury else subject,
        "may_write": access.may[Action.WRITE_DISSENT],
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
        "next": context["request"].get_full_path() if context.get("request") else "",
    }
