"""The seed event's date: declared with the lottery, and no seed is taken before it.

Commit-then-reveal only works if the seed comes from an event after the commitment. A seed typed
in before the declared event cannot be the event's result, so it is refused, not merely warned
about: a warning one click can dismiss would not convince a sceptic.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from juries.models import DrawState
from juries.selection import bundle, draws

from .draw_helpers import SEED, SOURCE, at_selection, computed_draw, make_pool, text_of, url


@pytest.fixture
def computed(jury, facilitator, django_capture_on_commit_callbacks):
    at_selection(jury)
    make_pool(jury)
    return computed_draw(jury, facilitator, django_capture_on_commit_callbacks)


def publish_form(draw, event_day):
    return {"draw": draw.pk, "source": SOURCE, "numbers": "6", "date": event_day.isoformat()}


def test_a_seed_entered_before_the_declared_seed_event_is_refused(
    client, jury, facilitator, computed
):
    tomorrow = timezone.localdate() + timedelta(days=1)
    client.force_login(facilitator)
    client.post(url("draw-publish", jury), publish_form(computed, tomorrow))
    computed.refresh_from_db()
    assert computed.state == DrawState.PUBLISHED
    assert computed.commitment["seed_rule"]["date"] == tomorrow.isoformat()

    page = text_of(client.get(url("draw", jury)))
    assert "Check the seed" not in page, "no seed form before the event"
    assert "can be entered from" in page

    response = client.post(
        url("draw-seed", jury),
        {"draw": computed.pk, "seed": SEED, "step": "confirm"},
        follow=True,
    )

    assert "before the seed event" in text_of(response)
    computed.refresh_from_db()
    assert computed.state == DrawState.PUBLISHED
    assert computed.seed == ""


def test_the_service_refuses_a_seed_before_the_declared_date_and_takes_it_on_the_day(
    facilitator, computed
):
    tomorrow = timezone.localdate() + timedelta(days=1)
    draw = draws.publish_distribution(
        draw=computed, by=facilitator, seed_source=SOURCE, seed_numbers=6, seed_date=tomorrow
    )
    with pytest.raises(draws.DrawError, match="before the seed event"):
        draws.enter_seed(draw=draw, seed=SEED, by=facilitator)

    drawn = draws.enter_seed(draw=draw, seed=SEED, by=facilitator, today=tomorrow)
    assert drawn.state == DrawState.DRAWN


def test_the_seed_event_date_cannot_be_in_the_past(client, jury, facilitator, computed):
    yesterday = timezone.localdate() - timedelta(days=1)
    client.force_login(facilitator)

    response = client.post(url("draw-publish", jury), publish_form(computed, yesterday))

    assert "has already happened" in text_of(response)
    computed.refresh_from_db()
    assert computed.state == DrawState.COMPUTED


def test_the_declared_date_is_part_of_what_is_fingerprinted(facilitator, computed):
    day = timezone.localdate() + timedelta(days=3)
    draw = draws.publish_distribution(
        draw=computed, by=facilitator, seed_source=SOURCE, seed_numbers=6, seed_date=day
    )
    assert draw.commitment_sha256 == bundle.sha256_of(draw.commitment)
    assert bundle.commitment_problems(draw.commitment) == []
    moved = {**draw.commitment, "seed_rule": {**draw.commitment["seed_rule"], "date": "2020-1-1"}}
    assert bundle.seed_rule_problems(moved), "a date that is not YYYY-MM-DD is a problem"
