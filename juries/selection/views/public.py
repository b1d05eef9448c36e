"""The public side of the draw: how the jurors were chosen, and the record to check it with.

Open to anyone when the jury is public (members always); never a name, an address or a list of
pseudonyms on the page: pseudonyms are only in the downloadable record, as published.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from juries.models import Draw, Recruitment
from juries.permissions import get_public_jury

from .. import draws, figures, panel
from ..bundle import canonical_bytes
from ..disclosure import SMALL, SMALLEST_GROUP, WITHHELD, suppress_small
from .draws import _percent

VERIFY_COMMAND = "python manage.py verify_draw BUNDLE --sha256 {sha}"


def _public_summary(draw):
    """The public record of a draw in aggregate: quotas, the pool's counts per answer, chances.
    Read from the commitment, so the page says exactly what the bundle says, except that a count
    of fewer than three people is shown only as "fewer than 3", with one more withheld where the
    total would give it away (`disclosure.suppress_small`)."""
    commitment = draw.commitment
    counts = {}
    for profile in commitment["profiles"]:
        for category, value in profile["answers"].items():
            counts[category, value] = counts.get((category, value), 0) + len(profile["members"])
    categories = []
    for category in commitment["categories"]:
        quotas = category["values"]
        shown = suppress_small([counts.get((category["name"], q["value"]), 0) for q in quotas])
        categories.append(
            {
                "name": category["name"],
                "values": [
                    {**quota, "pool_count": count}
                    for quota, count in zip(quotas, shown, strict=True)
                ],
                "hidden": SMALL in shown,
            }
        )
    return {
        "categories": categories,
        "pool_size": sum(len(profile["members"]) for profile in commitment["profiles"]),
        "algorithm": commitment["algorithm"],
        "lowest_percent": _percent(draw.lowest_probability),
        "mean_percent": _percent(draw.mean_probability),
        "verify_command": VERIFY_COMMAND.format(sha=draw.commitment_sha256),
        "replacement_count": draw.replacements.count(),
        "smallest_group": SMALLEST_GROUP,
        "small": SMALL,
        "withheld": WITHHELD,
    }


@require_GET
def selection_public(request, slug):
    """How the jury was chosen, for anyone: never a name, an address or a list of pseudonyms."""
    access = get_public_jury(request.user, slug)
    jury = access.jury
    draw = jury.draws.public().first()
    context = {"access": access, "jury": jury, "draw": draw}
    if draw is None:
        if Recruitment.objects.of(jury).is_open:
            context["register_url"] = reverse("juries:volunteer-register", args=[slug])
    else:
        context.update(_public_summary(draw))
        context["spread"] = figures.chance_spread(draw.commitment)
        if draw.is_drawn:
            places = list(panel.panel_places(draw))
            context["panel_quotas"] = figures.panel_against_quotas(draw, places, public=True)
    return render(request, "juries/selection/public_selection.html", context)


@require_GET
def draw_bundle(request, slug, draw_id):
    """The draw's public bundle as canonical JSON: its SHA-256 is the one on the public page."""
    access = get_public_jury(request.user, slug)
    draw = get_object_or_404(Draw.objects.public(), pk=draw_id, jury=access.jury)
    response = HttpResponse(
        canonical_bytes(draws.public_bundle(draw)), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-draw-{draw.pk}.json"'
    return response


urlpatterns = [
    path("juries/<slug:slug>/selection/", selection_public, name="selection-public"),
    path(
        "juries/<slug:slug>/selection/draws/<int:draw_id>/bundle.json",
        draw_bundle,
        name="draw-bundle",
    ),
]
