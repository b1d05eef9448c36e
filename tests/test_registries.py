"""The registries the higher apps fill when they start (see the README's "Where things are") hold
each entry once, even if an app's ready() runs again, so nothing shows twice."""

from django.apps import apps

from deliberate import subjects
from evidence import reviews
from juries import accounts, attention, navigation, next_step, parts, stages


def _sizes():
    return {
        "stage checks": len(stages.STAGE_CHECKS),
        "next steps": len(next_step.STEPS),
        "attention": len(attention.CHECKS),
        "sections": len(navigation.SECTIONS),
        "parts": {place: len(entries) for place, entries in parts.PLACES.items()},
        "exporters": len(accounts.EXPORTERS),
        "forget in event stream": len(accounts.FORGET_IN_EVENT_STREAM),
        "subjects": len(subjects.SUBJECTS),
        "reviews": len(reviews.OUTCOMES),
    }


def test_every_app_registers_what_it_shows_in_a_lower_app():
    assert {section.key for section in navigation.SECTIONS} >= {"evidence", "threads"}
    assert {"voting.recommendation", "evidence.evidenceitem"} <= set(subjects.SUBJECTS)
    assert {"posts", "decisions"} <= set(accounts.EXPORTERS)
    assert len(reviews.OUTCOMES) == 1
    registered = {check.__name__ for _order, check in attention.CHECKS}
    assert {"flagged_posts", "quiet_jurors", "waiting_questions"} <= registered


def test_starting_the_apps_again_registers_nothing_twice():
    before = _sizes()
    for label in ("juries", "evidence", "deliberate", "voting", "evaluation"):
        apps.get_app_config(label).ready()
    assert _sizes() == before
