"""What the juries reviewing a system produced, as the apps built on evidence register it
(evidence.reviews): `{% review_outcomes systems as outcomes %}` once per page, then
`{% system_outcome outcomes system %}` or `{% jury_outcome outcomes jury %}` where it is shown."""

from django import template

from .. import reviews

register = template.Library()


@register.simple_tag
def review_outcomes(systems):
    """For the systems listed on the page, or a single system."""
    if not hasattr(systems, "__iter__"):
        systems = [systems]
    return reviews.collect(systems)


@register.simple_tag(takes_context=True)
def system_outcome(context, collected, system):
    return reviews.render(
        context, collected, lambda outcome: outcome.system_template, system=system
    )


@register.simple_tag(takes_context=True)
def jury_outcome(context, collected, jury):
    return reviews.render(context, collected, lambda outcome: outcome.jury_template, jury=jury)
