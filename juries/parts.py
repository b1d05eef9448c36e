"""Places on juries' and evidence's pages where an app built on them shows something of its own.

A page names a place, `{% parts "sitting-actions" %}` (from the `ui` library); the app that owns
what is shown there registers, in its AppConfig.ready(), a template to include at that place:

    parts.register("sitting-actions", "deliberate/parts/sitting_actions.html")

The template is rendered with the page's context, as `{% include %}` would, so it sees the page's
`jury`, `access` and objects and loads its own app's tags. A lower app's page thus shows a live
room button, a discussion link or the recommendations citing an item without naming the app that
holds them (see tests/test_dependency_rules.py).

The parts of a place are output one after the other, in `order`, exactly as they render: a part
that sits inside a line of the page ends without a newline.

The places: "jury-public" (the jury's public page, before its timeline), "sitting-actions" (a
sitting's page, under its details), "sitting-record" (a sitting's page, after its agenda: what
stays on record of it), "agenda-item" (inside each agenda item's line), "account" (the
person's account page, after their details), "my-juries" (the page a member lands on after
signing in, above their juries), "evidence-item" (an evidence item's page, after
its content), "evidence-item-cited" and "question-cited" (an item's or an answered question's
page, where what cites it is listed).
"""

from collections import defaultdict

from django.utils.safestring import mark_safe

# place -> [(order, template name)], sorted by order
PLACES = defaultdict(list)


def register(place, template_name, *, order=0):
    """Show `template_name` at `place`, in `order`; registering it again changes nothing."""
    if (order, template_name) in PLACES[place]:
        return
    PLACES[place].append((order, template_name))
    PLACES[place].sort(key=lambda part: part[0])


def render(place, context):
    """The parts registered at `place`, rendered with `context` (a template Context)."""
    engine = context.template.engine
    html = "".join(engine.get_template(name).render(context) for _order, name in PLACES[place])
    return mark_safe(html)  # noqa: S308 - rendered templates, escaped as they render
