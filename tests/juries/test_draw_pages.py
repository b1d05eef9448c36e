"""The facilitators' draw pages: computing, publishing, seeding, inviting and replacing.

Tasks run at once in tests (TASKS_IMMEDIATE), so starting a draw computes it as soon as the
request's transaction commits. The pool is small: 40 volunteers, 8 jurors, two questions.
"""

from collections import Counter

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from juries.models import (
    Answer,
    Draw,
    DrawState,
    Invitation,
    Place,
    PlaceKind,
    PlaceState,
    Recruitment,
    RecruitmentState,
    Replacement,
    Role,
    Volunteer,
)
from juries.selection import bundle, draws
from juries.selection.panel import panel_places

from .draw_helpers import (
    QUOTAS,
    RULE,
    SEED,
    SOURCE,
    at_selection,
    computed_draw,
    drawn_draw,
    make_pool,
    text_of,
    url,
)


def quota_counts(volunteers):
    counts = Counter()
    for answer in Answer.objects.filter(volunteer__in=volunteers).select_related("category"):
        counts[answer.category.name, answer.value.label] += 1
    return counts


def assert_meets_quotas(volunteers):
    counts = quota_counts(volunteers)
    for name, answers in QUOTAS.items():
        for label, (low, high) in answers.items():
            assert low <= counts[name, label] <= high, (name, label, counts[name, label])


@pytest.fixture
def pool(jury):
    at_selection(jury)
    return make_pool(jury)


@pytest.fixture
def drawn(jury, facilitator, pool, django_capture_on_commit_callbacks):
    return drawn_draw(jury, facilitator, django_capture_on_commit_callbacks)


# --- the whole flow, through the pages --------------------------------------------------------


def test_facilitator_draws_a_panel_that_meets_the_quotas_through_the_pages(
    client, jury, facilitator, pool, django_capture_on_commit_callbacks
):
    client.force_login(facilitator)

    page = client.get(url("draw", jury))
    assert "Start computing the lottery" in text_of(page)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("draw-start", jury))
    assert response.status_code == 302
    draw = Draw.objects.get(jury=jury)
    assert draw.state == DrawState.COMPUTED

    page = text_of(client.get(url("draw", jury)))
    assert "SHA-256" not in page, "the fingerprint is fixed at publication, with the seed rule"
    assert "as equal as the quotas allow" in page
    assert "%" in page
    assert "Publish the distribution" in page

    confirm = client.get(url("draw-publish", jury))
    assert "cannot be changed afterwards" in text_of(confirm)
    refused = client.post(
        url("draw-publish", jury), {"draw": draw.pk, "source": " ", "numbers": ""}
    )
    assert "There is a problem" in text_of(refused)
    draw.refresh_from_db()
    assert draw.state == DrawState.COMPUTED, "no seed rule, no publication"
    today = timezone.localdate().isoformat()
    client.post(
        url("draw-publish", jury),
        {"draw": draw.pk, "source": SOURCE, "numbers": "6", "date": today},
    )
    draw.refresh_from_db()
    assert draw.state == DrawState.PUBLISHED
    assert draw.commitment["seed_rule"] == {"source": SOURCE, "numbers": 6, "date": today}
    assert draw.commitment_sha256 == bundle.sha256_of(draw.commitment)
    page = text_of(client.get(url("draw", jury)))
    assert "Check the seed" in page and draw.commitment_sha256 in page and SOURCE in page

    # Written as published, with leading zeros and a word: only the numbers count.
    check = client.post(url("draw-seed", jury), {"draw": draw.pk, "seed": "07 13 22 31 40 and 48"})
    assert check.status_code == 200
    assert "Yes, draw the panel" in text_of(check)
    draw.refresh_from_db()
    assert draw.state == DrawState.PUBLISHED, "checking the seed must not draw yet"

    client.post(
        url("draw-seed", jury),
        {"draw": draw.pk, "seed": SEED, "step": "confirm"},
    )
    draw.refresh_from_db()
    assert draw.state == DrawState.DRAWN
    assert draw.seed == SEED
    panel = [place.volunteer for place in panel_places(draw)]
    assert len(panel) == 8
    assert_meets_quotas(panel)
    assert draw.places.filter(kind=PlaceKind.RESERVE).count() == 32

    page = text_of(client.get(url("draw", jury)))
    assert SEED in page and SOURCE in page
    for volunteer in panel:
        assert volunteer.pseudonym in page
        assert volunteer.name in page, "facilitators see the names of the people selected"
        assert volunteer.email in page
    assert "Invite the selected" in page


def test_changing_the_seed_at_the_check_shows_the_form_with_it(
    client, jury, facilitator, pool, django_capture_on_commit_callbacks
):
    draw = computed_draw(jury, facilitator, django_capture_on_commit_callbacks)
    draws.publish_distribution(draw=draw, by=facilitator, **RULE)
    client.force_login(facilitator)

    response = client.post(
        url("draw-seed", jury),
        {"draw": draw.pk, "seed": "1 2 3 4 5 6", "step": "change"},
    )

    assert response.status_code == 200
    assert 'value="1 2 3 4 5 6"' in text_of(response)
    draw.refresh_from_db()
    assert draw.state == DrawState.PUBLISHED


def test_a_second_seed_is_refused(client, jury, facilitator, drawn):
    client.force_login(facilitator)
    panel_before = list(panel_places(drawn).values_list("pseudonym", flat=True))

    response = client.post(
        url("draw-seed", jury),
        {"draw": drawn.pk, "seed": "1 2 3 4 5 6", "step": "confirm"},
        follow=True,
    )

    assert "The seed can only be entered once" in text_of(response)
    drawn.refresh_from_db()
    assert drawn.seed == SEED
    assert list(panel_places(drawn).values_list("pseudonym", flat=True)) == panel_before


def test_seed_mistakes_are_shown_with_what_was_typed(
    client, jury, facilitator, pool, django_capture_on_commit_callbacks
):
    draw = computed_draw(jury, facilitator, django_capture_on_commit_callbacks)
    draws.publish_distribution(draw=draw, by=facilitator, **RULE)
    client.force_login(facilitator)

    response = client.post(
        url("draw-seed", jury),
        {"draw": draw.pk, "seed": "  42   17 ", "step": "confirm"},
    )

    page = text_of(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "has 6 numbers; this has 2" in page
    assert "42   17" in page or "42 17" in page, "the typed seed is kept"
    draw.refresh_from_db()
    assert draw.state == DrawState.PUBLISHED


def test_infeasible_quotas_fail_with_an_explanation_and_draw_nothing(
    client, jury, facilitator, django_capture_on_commit_callbacks
):
    at_selection(jury)
    quotas = {
        "gender": {"female": (6, 8), "male": (3, 8)},  # 6 + 3 seats on a panel of 8
        "age": {"under 40": (0, 8), "40 or over": (0, 8)},
    }
    make_pool(jury, quotas=quotas)
    client.force_login(facilitator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("draw-start", jury))

    draw = Draw.objects.get(jury=jury)
    assert draw.state == DrawState.FAILED
    assert "The minimums for gender add up to 9" in draw.error
    page = text_of(client.get(url("draw", jury)))
    assert "could not be computed" in page
    assert draw.error.splitlines()[0] in page.replace("&#x27;", "'").replace("&quot;", '"')
    assert not Place.objects.exists()


def test_starting_while_recruitment_is_open_is_refused_in_plain_words(
    client, jury, facilitator, pool
):
    Recruitment.objects.filter(jury=jury).update(state=RecruitmentState.OPEN)
    client.force_login(facilitator)

    response = client.post(url("draw-start", jury), follow=True)

    assert "Close recruitment first" in text_of(response)
    assert not Draw.objects.exists()


# --- while it computes ------------------------------------------------------------------------


@pytest.fixture
def running(jury, facilitator, pool):
    return Draw.objects.create(
        jury=jury,
        state=DrawState.RUNNING,
        panel_size=8,
        volunteer_count=40,
        started_by=facilitator,
        started_at=timezone.now() - timezone.timedelta(minutes=3),
        levels_fixed=2,
        inputs={},
    )


def test_draw_page_shows_progress_in_a_status_region_that_refreshes_itself(
    client, jury, facilitator, running
):
    client.force_login(facilitator)

    page = text_of(client.get(url("draw", jury)))

    assert 'role="status"' in page and 'aria-live="polite"' in page
    assert 'hx-trigger="every 2s"' in page
    assert "2 levels of fairness fixed so far" in page
    assert "Running for 3 minutes" in page
    assert "It stops after at most 30 minutes" in page
    assert ">Refresh</a>" in page
    assert "Cancel the computation" in page


def test_status_fragment_is_sent_only_when_it_changed(client, jury, facilitator, running):
    client.force_login(facilitator)
    base = url("draw", jury) + "?part=status"

    fragment = client.get(base, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<h1>" not in text_of(fragment)
    assert "2 levels of fairness fixed so far" in text_of(fragment)

    seen = "running-2-3"
    assert client.get(f"{base}&seen={seen}", headers={"HX-Request": "true"}).status_code == 204

    Draw.objects.filter(pk=running.pk).update(levels_fixed=3)
    assert client.get(f"{base}&seen={seen}", headers={"HX-Request": "true"}).status_code == 200


def test_status_fragment_reloads_the_page_once_the_computation_ended(
    client, jury, facilitator, running
):
    Draw.objects.filter(pk=running.pk).update(state=DrawState.FAILED, error="Too tight.")
    client.force_login(facilitator)

    response = client.get(url("draw", jury) + "?part=status", headers={"HX-Request": "true"})

    assert response.headers.get("HX-Refresh") == "true"


def test_facilitator_cancels_a_running_computation(client, jury, facilitator, running):
    client.force_login(facilitator)

    client.post(url("draw-cancel", jury), {"draw": running.pk})

    running.refresh_from_db()
    assert running.cancel_requested
    page = text_of(client.get(url("draw", jury)))
    assert "Cancelled" in page or "cancel" in page.lower()


def test_cancelling_a_queued_draw_stops_it_before_it_starts(client, jury, facilitator, running):
    Draw.objects.filter(pk=running.pk).update(state=DrawState.QUEUED, started_at=None)
    client.force_login(facilitator)

    client.post(url("draw-cancel", jury), {"draw": running.pk})

    running.refresh_from_db()
    assert running.state == DrawState.CANCELLED
    assert "was cancelled" in text_of(client.get(url("draw", jury)))


def test_a_form_about_an_older_draw_is_refused(client, jury, facilitator, running):
    client.force_login(facilitator)

    response = client.post(url("draw-cancel", jury), {"draw": running.pk + 1}, follow=True)

    assert "The draw has changed since you opened the page" in text_of(response)
    running.refresh_from_db()
    assert not running.cancel_requested


# --- after the draw ---------------------------------------------------------------------------


def test_inviting_sends_invitations_to_the_panel_and_a_note_to_everyone_else_once(
    client, jury, facilitator, drawn
):
    client.force_login(facilitator)
    mail.outbox.clear()

    client.post(url("draw-invite", jury), {"draw": drawn.pk})

    panel = {place.volunteer.email for place in panel_places(drawn)}
    invitations = Invitation.objects.filter(jury=jury)
    assert {invitation.email for invitation in invitations} == panel
    assert {invitation.role for invitation in invitations} == {Role.JUROR}
    assert set(panel_places(drawn).values_list("state", flat=True)) == {PlaceState.INVITED}
    notes = [message for message in mail.outbox if message.to[0] not in panel]
    assert len(notes) == 32
    note = notes[0]
    assert "not selected this time" in note.body
    assert "reserve list" in note.body
    assert reverse("juries:selection-public", args=[jury.slug]) in note.body
    assert "90 days after" in note.body
    volunteer = Volunteer.objects.get(email=note.to[0])
    assert volunteer.withdraw_url() in note.body
    assert "http" in note.body.split(volunteer.withdraw_url())[0].splitlines()[-1]

    sent = len(mail.outbox)
    response = client.post(url("draw-invite", jury), {"draw": drawn.pk}, follow=True)
    assert "already been sent" in text_of(response)
    assert len(mail.outbox) == sent
    assert "Invitations sent on" in text_of(client.get(url("draw", jury)))


def test_replacing_brings_in_the_first_reserve_who_keeps_the_quotas(
    client, jury, facilitator, drawn
):
    client.force_login(facilitator)
    leaving = panel_places(drawn).first()
    replace_url = url("draw-replace", jury, leaving.pk)

    page = client.get(replace_url)
    assert page.status_code == 200
    assert leaving.pseudonym in text_of(page)
    refused = client.post(replace_url, {"reason": "  "})
    assert refused.status_code == 200
    assert "There is a problem" in text_of(refused)
    assert not Replacement.objects.exists()

    client.post(replace_url, {"reason": "Declined the invitation"})

    replacement = Replacement.objects.get()
    assert replacement.leaving == leaving
    assert replacement.joining.kind == PlaceKind.RESERVE
    assert replacement.made_by == facilitator
    panel = [place.volunteer for place in panel_places(drawn)]
    assert len(panel) == 8 and leaving.volunteer not in panel
    assert_meets_quotas(panel)
    page = text_of(client.get(url("draw", jury)))
    assert "Declined the invitation" in page
    assert replacement.joining.pseudonym in page
    again = client.get(replace_url, follow=True)
    assert "not on the panel any more" in text_of(again)


def test_observer_reads_the_draw_without_names_emails_or_controls(client, jury, observer, drawn):
    client.force_login(observer)

    page = text_of(client.get(url("draw", jury)))

    assert SEED in page
    for volunteer in Volunteer.objects.filter(jury=jury):
        assert volunteer.name not in page
        assert volunteer.email not in page
    assert "Invite the selected" not in page
    assert "Replace<" not in page and "/replace/" not in page
    # Only totals: no pseudonym, which beside the members list could link a juror to answers.
    for place in drawn.places.all():
        assert place.pseudonym not in page
    assert "On the panel" in page
    overview = text_of(client.get(url("selection", jury)))
    assert "Volunteer00" not in overview and "@example.net" not in overview


def test_reserve_list_shows_the_first_twenty_and_the_rest_on_its_own_page(
    client, jury, facilitator, drawn
):
    client.force_login(facilitator)
    reserves = list(drawn.places.filter(kind=PlaceKind.RESERVE).order_by("position"))

    page = text_of(client.get(url("draw", jury)))
    assert reserves[19].pseudonym in page
    assert reserves[20].pseudonym not in page
    assert "32 people on the reserve list" in page

    full = text_of(client.get(url("draw-reserves", jury)))
    assert all(place.pseudonym in full for place in reserves)


def test_overview_shows_the_pool_and_the_next_step(client, jury, facilitator, pool):
    Volunteer.objects.filter(pk=pool[0].pk).update(withdrawn_at=timezone.now())
    client.force_login(facilitator)

    page = text_of(client.get(url("selection", jury)))

    assert "39 people, with a confirmed address" in page
    assert "Compute the fairest lottery for this pool." in page
    assert "under 40" in page


def test_dashboard_links_to_the_selection_overview(client, jury, facilitator, observer):
    for person in (facilitator, observer):
        client.force_login(person)
        assert url("selection", jury) in text_of(client.get(url("dashboard", jury)))
