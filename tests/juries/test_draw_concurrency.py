"""Two facilitators acting on the draw at the same moment: one draw, one reserve, no error page.

Runs against PostgreSQL only (set DATABASE_URL=postgresql://...): SQLite lets one writer in at a
time, so it cannot show the race. Each thread has its own connection; a barrier releases both.
"""

import os

import pytest
from django.test import override_settings

from juries.models import Draw, Replacement
from juries.selection import draws
from juries.selection.panel import panel_places, replace
from tests.concurrency import submit_together

from .draw_helpers import RULE, SEED, at_selection, make_pool

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL: set DATABASE_URL",
    ),
    pytest.mark.django_db(transaction=True),
]
# The computation is not under test here: queued jobs are dropped.
NO_WORKER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.mark.parametrize("attempt", range(3))
def test_two_facilitators_starting_the_draw_at_once_make_one_draw(jury, facilitator, attempt):
    at_selection(jury)
    make_pool(jury)
    refused = []

    def start():
        try:
            draws.start_draw(jury=jury, by=facilitator)
        except draws.DrawError as error:
            refused.append(error)

    with override_settings(TASKS=NO_WORKER):
        errors = submit_together([start, start])

    assert errors == []
    assert Draw.objects.filter(jury=jury).count() == 1
    assert len(refused) == 1


def test_two_replacements_at_once_never_bring_in_the_same_reserve(jury, facilitator):
    at_selection(jury)
    make_pool(jury)
    draw = draws.start_draw(jury=jury, by=facilitator)
    draws.compute_draw.call(draw.pk)
    draw = draws.publish_distribution(draw=Draw.objects.get(pk=draw.pk), by=facilitator, **RULE)
    draw = draws.enter_seed(draw=draw, seed=SEED, by=facilitator)
    first, second = list(panel_places(draw))[:2]

    errors = submit_together(
        [
            lambda: replace(place=first, reason="Declined", by=facilitator),
            lambda: replace(place=second, reason="Moved away", by=facilitator),
        ]
    )

    assert errors == []
    joining = list(Replacement.objects.filter(draw=draw).values_list("joining_id", flat=True))
    assert len(joining) == 2 and len(set(joining)) == 2
