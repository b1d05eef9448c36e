"""The demo: `seed_demo` loads a believable jury once; its printed links sign personas in once."""

import importlib
import io
from collections import Counter
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import NoReverseMatch, clear_url_caches, reverse
from django.utils import timezone

from juries.demo_seed import seed
from juries.models import InvitationState, Jury, Role, Sitting, Stage

DEMO_SLUG = "fraud-risk-scoring"


def _reload_urlconf():
    # deliberate.urls decides at import time whether the demo sign-in URL exists.
    clear_url_caches()
    importlib.reload(importlib.import_module(django_settings.ROOT_URLCONF))
    clear_url_caches()


@pytest.fixture
def demo_mode(settings):
    """Switch the demo configuration on or off for one test, with the URLs to match."""
    original = settings.DEMO_MODE

    def switch(on):
        settings.DEMO_MODE = on
        _reload_urlconf()

    yield switch
    settings.DEMO_MODE = original
    _reload_urlconf()


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def printed_links(output):
    """{display name: link} from the command's output."""
    links = {}
    for line in output.splitlines():
        name, _, link = line.strip().rpartition(" ")
        if "/demo/sign-in/" in link:
            links[name.strip()] = link
    return links


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_running_the_seed_twice_duplicates_nothing(db):
    run("seed_demo")
    first = row_counts()
    run("seed_demo")
    assert row_counts() == first
    # The jury at work, the one that has finished, and one still recruiting volunteers.
    assert first["juries.Jury"] == 3


def test_the_demo_jury_was_drawn_by_a_lottery_anyone_can_check(db):
    from juries.selection import bundle

    run("seed_demo")
    jury = Jury.objects.get(slug=DEMO_SLUG)
    draw = jury.draws.get()
    assert draw.state == "drawn"
    assert jury.volunteers.in_pool().count() == 300
    assert draw.complete and draw.levels_fixed >= 1
    revealed = bundle.reveal(
        draw.commitment,
        seed=draw.seed,
        seed_source=draw.seed_source,
        seed_entered_at=draw.seed_entered_at.isoformat(),
    )
    check = bundle.verify(revealed, expect_sha256=draw.commitment_sha256)
    assert check.ok, check.problems
    assert check.outcome.panel == draw.outcome["panel"]
    # The demo's twelve jurors hold the panel's twelve places.
    panel_emails = set(draw.places.filter(kind="panel").values_list("volunteer__email", flat=True))
    juror_emails = set(
        jury.memberships.filter(role=Role.JUROR).values_list("user__email", flat=True)
    )
    assert panel_emails == juror_emails


def test_a_third_demo_jury_is_recruiting(db):
    run("seed_demo")
    jury = Jury.objects.get(slug="housing-benefits-data-sharing")
    assert jury.stage == Stage.SELECTION
    assert jury.recruitment.is_open
    assert jury.selection_categories.count() == 4
    assert jury.volunteers.in_pool().count() > 40


def test_a_second_run_says_the_demo_was_already_there(db):
    assert "Created the demo jury" in run("seed_demo")
    assert "was already there" in run("seed_demo")


def test_the_demo_has_a_member_in_every_role(db):
    run("seed_demo")
    jury = Jury.objects.get(slug=DEMO_SLUG)
    roles = Counter(jury.memberships.values_list("role", flat=True))
    assert roles == {
        Role.FACILITATOR: 2,
        Role.JUROR: 12,
        Role.WITNESS: 1,
        Role.OBSERVER: 1,
        Role.OVERSIGHT: 2,
    }


def test_some_jurors_show_their_name_publicly_and_most_do_not(db):
    run("seed_demo")
    jurors = Jury.objects.get(slug=DEMO_SLUG).memberships.filter(role=Role.JUROR)
    public = jurors.filter(show_name_publicly=True).count()
    assert 0 < public < jurors.count() / 2


def test_some_jurors_live_in_another_time_zone(db):
    run("seed_demo")
    jurors = Jury.objects.get(slug=DEMO_SLUG).memberships.filter(role=Role.JUROR)
    assert jurors.exclude(user__timezone="Europe/London").count() >= 2


def test_the_demo_jury_is_public_and_learning_with_a_full_timeline(db):
    run("seed_demo")
    jury = Jury.objects.get(slug=DEMO_SLUG)
    today = timezone.localdate()
    assert jury.is_public
    assert jury.current_stage == Stage.LEARNING
    assert jury.oversight_body.name == "Social Security Oversight Board"
    assert jury.stage_plans.count() == len(Stage)
    learning = jury.stage_plans.get(stage=Stage.LEARNING)
    assert learning.planned_start <= today <= learning.planned_end
    assert jury.stage_plans.get(stage=Stage.SETUP).planned_end < today
    assert jury.stage_plans.get(stage=Stage.RESPONSE).planned_start > today
    moves = list(jury.stage_changes.order_by("changed_at").values_list("from_stage", "to_stage"))
    assert moves == [(Stage.SETUP, Stage.SELECTION), (Stage.SELECTION, Stage.LEARNING)]


def test_the_calendar_has_a_past_sitting_and_two_in_the_next_fortnight(db):
    run("seed_demo")
    now = timezone.now()
    sittings = Sitting.objects.filter(jury__slug=DEMO_SLUG)
    assert sittings.filter(ends_at__lt=now).count() >= 1
    upcoming = sittings.filter(starts_at__gt=now, starts_at__lt=now + timedelta(days=14))
    assert upcoming.count() >= 2
    for sitting in sittings:
        assert 3 <= sitting.agenda_items.count() <= 5
        assert sitting.video_url.startswith("https://meet.example.org/")


def test_the_dashboard_has_pending_expired_and_withdrawn_invitations(db):
    run("seed_demo")
    states = {i.state for i in Jury.objects.get(slug=DEMO_SLUG).invitations.all()}
    assert {InvitationState.PENDING, InvitationState.EXPIRED, InvitationState.REVOKED} <= states


def test_the_audit_log_tells_the_story_once(db):
    run("seed_demo")
    jury = Jury.objects.get(slug=DEMO_SLUG)
    entries = jury.audit_entries.count()
    assert entries >= 3
    run("seed_demo")
    assert jury.audit_entries.count() == entries


def test_every_persona_gets_a_link_grouped_by_role(db, demo_mode):
    demo_mode(True)
    output = run("seed_demo")
    links = printed_links(output)
    assert len(links) == 18
    assert {"Amara Okafor", "Aisha K.", "Dr Priya Natarajan", "Ruth Adeyemi", "David Cho"} <= set(
        links
    )
    headings = ["Facilitators", "Jurors", "Witnesses", "Observers", "Oversight members"]
    positions = [output.index(f"\n{heading}\n") for heading in headings]
    assert positions == sorted(positions)
    assert all(link.startswith("http://127.0.0.1:8000/demo/sign-in/") for link in links.values())


def test_links_use_the_base_url_given(db, demo_mode):
    demo_mode(True)
    run("seed_demo")
    links = printed_links(run("demo_links", "--base-url", "https://demo.example.org/"))
    assert len(links) == 18
    assert all(link.startswith("https://demo.example.org/demo/sign-in/") for link in links.values())


def test_a_printed_link_signs_the_persona_in_only_once(db, demo_mode, client):
    demo_mode(True)
    run("seed_demo")
    path = urlsplit(printed_links(run("demo_links"))["Aisha K."]).path

    assert client.get(path).status_code == 200
    response = client.post(path, follow=True)
    assert response.redirect_chain[0] == (reverse("juries:my-juries"), 302)
    assert response.status_code == 200
    assert response.wsgi_request.user.email == "aisha@example.org"
    page = response.content.decode()
    assert "You are signed in as Aisha K. (demo)." in page
    assert "Automated fraud-risk scoring for Housing Support" in page

    client.logout()
    assert client.post(path).status_code == 410


def test_without_the_demo_configuration_no_links_are_printed(db, demo_mode, client):
    demo_mode(False)
    output = run("seed_demo")
    assert printed_links(output) == {}
    assert "only available in the demo configuration" in output
    assert printed_links(run("demo_links")) == {}
    with pytest.raises(NoReverseMatch):
        reverse("demo-sign-in", args=["MQ", "token"])
    assert client.get("/demo/sign-in/MQ/token/").status_code == 404


def test_seeding_again_a_week_later_moves_the_dates_but_adds_nothing(db):
    a_week_ago = timezone.now() - timedelta(days=7)
    seed(now=a_week_ago)
    first = row_counts()
    seed()
    assert row_counts() == first
    now = timezone.now()
    sittings = Sitting.objects.filter(jury__slug=DEMO_SLUG)
    assert sittings.filter(starts_at__gt=now).count() >= 2
    learning = Jury.objects.get(slug=DEMO_SLUG).stage_plans.get(stage=Stage.LEARNING)
    assert learning.planned_start <= timezone.localdate() <= learning.planned_end
