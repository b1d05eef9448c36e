"""What the juries reviewing a system produced, on the register and on a system's page.

Evidence does not know what that is: the app that holds it registers, in its AppConfig.ready(),

    reviews.register(Outcome(collect=..., system_template=..., jury_template=...))

`collect(systems)` gathers, in one go for all the systems on a page, what the templates show.
Each template is rendered with the page's context plus that as `outcome`, and `system` (after a
system on the register) or `jury` (after each jury reviewing it, on the system's page). As with
juries.parts, a template is output exactly as it renders: one that sits inside a line ends without
a newline.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class Outcome:
    collect: Callable  # collect(systems) -> what the templates show as `outcome`
    system_template: str
    jury_template: str


OUTCOMES = []


def register(outcome):
    """Show `outcome` on the register; registering it again changes nothing."""
    if outcome not in OUTCOMES:
        OUTCOMES.append(outcome)


def collect(systems):
    """[(outcome, what it collected)] for `systems`, once per page."""
    return [(outcome, outcome.collect(systems)) for outcome in OUTCOMES]


def render(context, collected, template_of, **values):
    """Each registered outcome's template (`template_of(outcome)`), rendered with `context` plus
    `values` and the outcome's collected data as `outcome`."""
    engine = context.template.engine
    html = []
    for outcome, data in collected:
        with context.push(outcome=data, **values):
            html.append(engine.get_template(template_of(outcome)).render(context))
    return mark_safe("".join(html))  # noqa: S308 - rendered templates, escaped as they render
