"""`{% cited_by subject access %}`: on an evidence item's or a question's page, the
recommendations that cite it, for people who may read recommendations (nothing for others)."""

from django import template

from evidence.models import EvidenceItem, Question
from juries.permissions import Action

from ..models import Recommendation

register = template.Library()

FIELDS = {EvidenceItem: "item", Question: "question"}


@register.inclusion_tag("voting/drafting/_cited_by.html", takes_context=True)
def cited_by(context, subject, access):
    """The active recommendations citing `subject` (an EvidenceItem or a Question), in one
    query. Shows nothing unless `access` may view recommendations."""
    field = FIELDS.get(type(subject))
    if access is None or field is None or not access.may.get(Action.VIEW_RECOMMENDATIONS):
        return {"show": False}
    recommendations = (
        Recommendation.objects.active()
        .filter(jury=access.jury, **{f"citations__{field}": subject})
        .only("number", "statement")
        .distinct()
        .order_by("number")
    )
    return {"show": True, "recommendations": recommendations, "slug": access.jury.slug}
