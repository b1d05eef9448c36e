"""The Evaluator role: an evaluator reads the jury as an observer does, on every page of every
app, and besides reads the evaluation's results and downloads the anonymous answers."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from juries.models import Stage
from tests.conftest import sign_in_recently

pytestmark = pytest.mark.django_db

EVALUATION_ONLY = {
    "evaluation:download-csv",
    "evaluation:download-json",
    "evaluation:download-schema",
}


def _jury_pages(patterns=None, namespace=""):
    """Every named URL that takes a jury's slug and nothing else."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{entry.namespace}:" if entry.namespace else namespace
            yield from _jury_pages(entry.url_patterns, inner)
        elif (
            isinstance(entry, URLPattern)
            and entry.name
            and set(entry.pattern.converters) == {"slug"}
            and "<slug:slug>" in str(entry.pattern)
        ):
            yield f"{namespace}{entry.name}"


@pytest.mark.parametrize("stage", [Stage.SELECTION, Stage.LEARNING, Stage.DECISION, Stage.RESPONSE])
def test_an_evaluator_is_let_in_wherever_an_observer_is(client, jury, observer, evaluator, stage):
    jury.stage = stage
    jury.save()
    names = sorted(set(_jury_pages()))
    assert "juries:dashboard" in names and "evaluation:results" in names
    assert len(names) > 40
    differences = []
    for name in names:
        url = reverse(name, args=[jury.slug])
        sign_in_recently(client, observer)
        as_observer = client.get(url).status_code
        sign_in_recently(client, evaluator)
        as_evaluator = client.get(url).status_code
        assert as_evaluator < 500, (name, as_evaluator)
        if name in EVALUATION_ONLY:
            assert (as_observer, as_evaluator) == (403, 200), name
        elif as_observer != as_evaluator:
            differences.append((name, as_observer, as_evaluator))
    assert differences == []


def test_an_evaluator_is_never_given_the_floor(evaluator, jury):
    from juries.models import Membership
    from juries.permissions import may_be_given_the_floor

    assert not may_be_given_the_floor(Membership.objects.get(user=evaluator))


def test_an_evaluators_next_step_is_the_evaluation(client, jury, evaluator):
    sign_in_recently(client, evaluator)
    page = client.get(reverse("juries:home", args=[jury.slug])).content.decode()
    assert "See the evaluation results" in page
