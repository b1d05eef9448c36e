"""A pool of volunteers and its draw, for the draw suites (plain functions; no tests here)."""

from django.urls import reverse
from django.utils import timezone

from juries.models import (
    Answer,
    Category,
    CategoryValue,
    DrawState,
    Jury,
    Recruitment,
    RecruitmentState,
    Stage,
    Volunteer,
)
from juries.selection import draws

SEED = "7 13 22 31 40 48"
SOURCE = "National Lottery draw of 14 June 2025, six main numbers"
RULE = {"seed_source": SOURCE, "seed_numbers": 6}
# (minimum, maximum) seats per answer on a panel of 8.
QUOTAS = {
    "gender": {"female": (3, 5), "male": (3, 5)},
    "age": {"under 40": (3, 5), "40 or over": (3, 5)},
}


def make_pool(jury, size=40, panel_size=8, quotas=QUOTAS):
    """`size` confirmed volunteers with answers to two questions, recruitment closed."""
    Recruitment.objects.update_or_create(
        jury=jury, defaults={"state": RecruitmentState.CLOSED, "panel_size": panel_size}
    )
    values = {}
    for position, (name, answers) in enumerate(quotas.items()):
        category = Category.objects.create(
            jury=jury, name=name, question=f"Your {name}?", position=position
        )
        for order, (label, (low, high)) in enumerate(answers.items()):
            values[name, label] = CategoryValue.objects.create(
                category=category, label=label, minimum=low, maximum=high, position=order
            )
    now = timezone.now()
    for number in range(size):
        volunteer = Volunteer.objects.create(
            jury=jury,
            name=f"Volunteer{number:02d} Testperson",
            email=f"volunteer{number:02d}@example.net",
            source="form",
            consented_at=now,
            confirmed_at=now,
        )
        gender = "female" if number % 5 < 3 else "male"
        age = "under 40" if number % 3 == 0 else "40 or over"
        for name, label in (("gender", gender), ("age", age)):
            value = values[name, label]
            Answer.objects.create(volunteer=volunteer, category=value.category, value=value)
    return list(Volunteer.objects.filter(jury=jury))


def at_selection(jury):
    Jury.objects.filter(pk=jury.pk).update(stage=Stage.SELECTION)
    jury.refresh_from_db()
    return jury


def computed_draw(jury, by, capture):
    with capture(execute=True):
        draw = draws.start_draw(jury=jury, by=by)
    draw.refresh_from_db()
    assert draw.state == DrawState.COMPUTED, draw.error
    return draw


def drawn_draw(jury, by, capture):
    draw = draws.publish_distribution(draw=computed_draw(jury, by, capture), by=by, **RULE)
    return draws.enter_seed(draw=draw, seed=SEED, by=by)


def url(name, jury, *args):
    return reverse(f"juries:{name}", args=[jury.slug, *args])


def text_of(response):
    return response.content.decode()
