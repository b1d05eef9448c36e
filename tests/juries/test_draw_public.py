"""The public selection page and the draw's bundle: aggregates only, and checkable by anyone."""

import json

import pytest
from django.urls import reverse

from juries.models import Jury, Recruitment, RecruitmentState, Visibility, Volunteer
from juries.selection import bundle, draws
from juries.selection.panel import panel_places

from .draw_helpers import RULE, SEED, SOURCE, computed_draw, drawn_draw, make_pool, text_of, url


@pytest.fixture
def public_jury(jury):
    Jury.objects.filter(pk=jury.pk).update(visibility=Visibility.PUBLIC, stage="selection")
    jury.refresh_from_db()
    return jury


@pytest.fixture
def drawn(public_jury, facilitator, django_capture_on_commit_callbacks):
    make_pool(public_jury)
    return drawn_draw(public_jury, facilitator, django_capture_on_commit_callbacks)


def test_before_any_draw_the_page_says_so(client, public_jury):
    page = text_of(client.get(url("selection-public", public_jury)))

    assert "The lottery has not been drawn yet" in page


def test_before_any_draw_the_page_offers_registration_while_recruitment_is_open(
    client, public_jury
):
    Recruitment.objects.create(jury=public_jury, state=RecruitmentState.OPEN)
    try:
        register = reverse("juries:volunteer-register", args=[public_jury.slug])
    except Exception:  # the registration page is another part of this work
        pytest.skip("the volunteer registration page does not exist yet")

    page = text_of(client.get(url("selection-public", public_jury)))

    assert register in page


def test_published_draw_shows_its_fingerprint_and_waits_for_the_seed(
    client, public_jury, facilitator, django_capture_on_commit_callbacks
):
    make_pool(public_jury)
    draw = computed_draw(public_jury, facilitator, django_capture_on_commit_callbacks)
    assert "not been drawn yet" in text_of(client.get(url("selection-public", public_jury)))
    draw = draws.publish_distribution(draw=draw, by=facilitator, **RULE)

    page = text_of(client.get(url("selection-public", public_jury)))

    assert draw.commitment_sha256 in page
    assert "Waiting for the seed" in page
    assert SOURCE in page, "where the seed will come from is public before the seed is"
    downloaded = json.loads(client.get(url("draw-bundle", public_jury, draw.pk)).content)
    assert bundle.sha256_of(downloaded["commitment"]) == draw.commitment_sha256
    assert "seed" not in downloaded


def test_public_page_shows_the_draw_in_aggregate_and_never_a_name_or_pseudonym(
    client, public_jury, drawn
):
    page = text_of(client.get(url("selection-public", public_jury)))

    assert drawn.commitment_sha256 in page
    assert SEED in page and SOURCE in page
    assert "verify_draw BUNDLE --sha256 " + drawn.commitment_sha256 in page
    assert drawn.commitment["algorithm"] in page
    assert "40 or over" in page
    assert "from 40 volunteers" in page
    for volunteer in Volunteer.objects.filter(jury=public_jury):
        assert volunteer.name not in page
        assert volunteer.email not in page
        assert volunteer.pseudonym not in page


def test_public_page_counts_the_pool_per_answer(client, public_jury, drawn):
    page = text_of(client.get(url("selection-public", public_jury)))

    # make_pool: numbers 0-39, female when number % 5 < 3 (24), under 40 when number % 3 == 0 (14).
    assert '<th scope="row">female</th><td>24</td><td>3</td><td>5</td>' in page
    assert '<th scope="row">under 40</th><td>14</td><td>3</td><td>5</td>' in page


def test_bundle_download_verifies_and_matches_the_published_fingerprint(client, public_jury, drawn):
    response = client.get(url("draw-bundle", public_jury, drawn.pk))

    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert response.content == bundle.canonical_bytes(data)
    checked = bundle.verify(data, expect_sha256=drawn.commitment_sha256)
    assert checked.ok, checked.problems
    panel = set(panel_places(drawn).values_list("pseudonym", flat=True))
    assert set(data["result"]["panel"]) == panel


def test_bundle_is_not_found_before_publication(
    client, public_jury, facilitator, django_capture_on_commit_callbacks
):
    make_pool(public_jury)
    draw = computed_draw(public_jury, facilitator, django_capture_on_commit_callbacks)

    assert client.get(url("draw-bundle", public_jury, draw.pk)).status_code == 404
    client.force_login(facilitator)
    assert client.get(url("draw-bundle", public_jury, draw.pk)).status_code == 404


def test_bundle_of_another_jurys_draw_is_not_found(client, public_jury, make_jury, drawn):
    other = make_jury(slug="other-jury", visibility=Visibility.PUBLIC)

    assert client.get(url("draw-bundle", other, drawn.pk)).status_code == 404


def test_private_jurys_selection_page_and_bundle_are_not_found_for_strangers(
    client, jury, outsider, facilitator, django_capture_on_commit_callbacks
):
    Jury.objects.filter(pk=jury.pk).update(stage="selection")
    make_pool(jury)
    draw = drawn_draw(jury, facilitator, django_capture_on_commit_callbacks)

    for person in (None, outsider):
        if person:
            client.force_login(person)
        assert client.get(url("selection-public", jury)).status_code == 404
        assert client.get(url("draw-bundle", jury, draw.pk)).status_code == 404
    client.force_login(facilitator)
    assert client.get(url("selection-public", jury)).status_code == 200
    assert client.get(url("draw-bundle", jury, draw.pk)).status_code == 200


def test_jurys_public_page_links_to_the_selection_page(client, public_jury):
    page = text_of(client.get(reverse("juries:public", args=[public_jury.slug])))

    assert url("selection-public", public_jury) in page


def test_anyone_reruns_the_downloaded_draw_with_verify_draw_and_a_changed_copy_is_caught(
    client, public_jury, drawn, tmp_path
):
    """Acceptance check 3: the bundle from the public page, checked by the documented command in
    a fresh process with nothing configured (no database, no settings variables)."""
    from tests.selection.test_bundle import run_verify_draw

    downloaded = client.get(url("draw-bundle", public_jury, drawn.pk)).content
    good = tmp_path / "draw.json"
    good.write_bytes(downloaded)

    run = run_verify_draw(str(good), "--sha256", drawn.commitment_sha256)

    assert run.returncode == 0, run.stdout + run.stderr
    assert "The draw checks out." in run.stdout
    for pseudonym in drawn.outcome["panel"] + drawn.outcome["reserves"][:3]:
        assert pseudonym in run.stdout

    data = json.loads(downloaded)
    first = data["commitment"]["distribution"]["panels"][0]
    first["weight"] += 1  # someone "improves" the lottery after publication
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data), encoding="utf-8")

    run = run_verify_draw(str(changed), "--sha256", drawn.commitment_sha256)

    assert run.returncode != 0
    assert "The draw checks out." not in run.stdout


def _before_details(page):
    return page.split('<details class="technical-details"', 1)[0]


def test_the_lottery_is_described_in_plain_words_with_the_technical_detail_behind_a_fold(
    client, public_jury, facilitator, drawn
):
    client.force_login(facilitator)
    for name in ("selection-public", "draw"):
        page = text_of(client.get(url(name, public_jury)))

        upfront = _before_details(page)
        assert "as equal as the quotas allow" in upfront
        assert "LEXIMIN" not in upfront and "maximin" not in upfront
        assert drawn.commitment["algorithm"] not in upfront
        assert "Technical details" in page
        assert (
            drawn.commitment["algorithm"] in page.split('<details class="technical-details"', 1)[1]
        )
