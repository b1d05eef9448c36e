"""The privacy notice's promise: volunteers not on the panel are deleted after the retention period."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from juries.models import (
    Answer,
    AuditEntry,
    Category,
    CategoryValue,
    Draw,
    DrawState,
    Place,
    PlaceKind,
    Recruitment,
    Stage,
    StageChange,
    Volunteer,
    VolunteerSource,
)
from juries.selection.retention import delete_expired_volunteers


@pytest.fixture
def pool(jury):
    category = Category.objects.create(jury=jury, name="Age", question="How old are you?")
    value = CategoryValue.objects.create(category=category, label="16 to 29")
    people = []
    for number in range(5):
        volunteer = Volunteer.objects.create(
            jury=jury,
            name=f"Person {number}",
            email=f"person{number}@example.org",
            source=VolunteerSource.FORM,
            confirmed_at=timezone.now(),
        )
        Answer.objects.create(volunteer=volunteer, category=category, value=value)
        people.append(volunteer)
    # Drawn just now. (A drawn draw's record cannot be changed afterwards on PostgreSQL, so the
    # tests below move the clock forward instead of moving the draw back.)
    draw = Draw.objects.create(
        jury=jury, panel_size=2, state=DrawState.DRAWN, seed_entered_at=timezone.now()
    )
    selected = Place.objects.create(
        draw=draw, volunteer=people[0], pseudonym=people[0].pseudonym, kind="panel", position=1
    )
    Place.objects.create(
        draw=draw, volunteer=people[1], pseudonym=people[1].pseudonym, kind="panel", position=2
    )
    left = Place.objects.get(volunteer=people[1])
    # The second person declined; the first reserve took their place.
    Place.objects.create(
        draw=draw,
        volunteer=people[2],
        pseudonym=people[2].pseudonym,
        kind=PlaceKind.RESERVE,
        position=1,
        replaces=left,
    )
    Place.objects.create(
        draw=draw,
        volunteer=people[3],
        pseudonym=people[3].pseudonym,
        kind=PlaceKind.RESERVE,
        position=2,
    )
    Recruitment.objects.create(jury=jury, retention_days=90)
    return {"people": people, "draw": draw, "selected": selected}


def _report_published(jury, days_ago):
    change = StageChange.objects.create(jury=jury, from_stage=Stage.REPORT, to_stage=Stage.RESPONSE)
    StageChange.objects.filter(pk=change.pk).update(
        changed_at=timezone.now() - timedelta(days=days_ago)
    )


def test_nothing_is_deleted_before_the_report(pool):
    assert delete_expired_volunteers() == {}
    assert Volunteer.objects.count() == 5


def test_nothing_is_deleted_before_the_retention_period_ends(jury, pool):
    _report_published(jury, days_ago=89)
    assert delete_expired_volunteers() == {}
    assert Volunteer.objects.count() == 5


def test_after_the_period_only_the_people_on_the_panel_are_kept(jury, pool):
    _report_published(jury, days_ago=91)
    people = pool["people"]

    assert delete_expired_volunteers() == {jury.slug: 3}

    kept = set(Volunteer.objects.values_list("pk", flat=True))
    assert kept == {people[0].pk, people[2].pk}  # the first pick, and the reserve who took a place
    assert Answer.objects.filter(volunteer_id__in=[people[1].pk, people[3].pk]).count() == 0
    # The draw's record keeps every pseudonym, so the public draw still checks.
    assert Place.objects.filter(draw=pool["draw"]).count() == 4
    assert Place.objects.filter(volunteer__isnull=True).count() == 2
    entry = AuditEntry.objects.get(action="volunteers.delete")
    assert "3" in entry.summary
    assert "person" not in entry.summary.lower()


def test_a_jury_can_keep_them_for_a_shorter_time(jury, pool):
    Recruitment.objects.filter(jury=jury).update(retention_days=10)
    _report_published(jury, days_ago=11)
    assert delete_expired_volunteers() == {jury.slug: 3}


def test_running_the_command_twice_deletes_nothing_more(jury, pool):
    _report_published(jury, days_ago=120)
    out = StringIO()
    call_command("delete_expired_volunteers", stdout=out)
    assert "3 volunteers deleted" in out.getvalue()
    out = StringIO()
    call_command("delete_expired_volunteers", stdout=out)
    assert "0 volunteers deleted" in out.getvalue()
    assert Volunteer.objects.count() == 2


def test_other_juries_are_untouched(jury, make_jury, pool):
    other = make_jury(slug="other-jury")
    Volunteer.objects.create(
        jury=other, name="Someone", email="someone@example.org", source=VolunteerSource.FORM
    )
    _report_published(jury, days_ago=120)
    delete_expired_volunteers()
    assert Volunteer.objects.filter(jury=other).count() == 1


def _in_days(days):
    return timezone.now() + timedelta(days=days)


def test_a_jury_that_never_reports_keeps_them_no_longer_than_a_year_after_the_draw(
    jury, pool, settings
):
    settings.SELECTION_DELETE_AFTER_DRAW_DAYS = 365
    assert delete_expired_volunteers(now=_in_days(364)) == {}
    assert delete_expired_volunteers(now=_in_days(366)) == {jury.slug: 3}
    assert Volunteer.objects.count() == 2


def test_the_earlier_of_the_two_dates_counts(jury, pool, settings):
    settings.SELECTION_DELETE_AFTER_DRAW_DAYS = 365
    _report_published(jury, days_ago=-300)  # a report 300 days after the draw
    # 90 days after the report would be day 390, but the year after the draw is up.
    assert delete_expired_volunteers(now=_in_days(366)) == {jury.slug: 3}


def test_registration_closed_without_a_draw_counts_from_the_closing(make_jury, settings):
    settings.SELECTION_DELETE_AFTER_DRAW_DAYS = 100
    other = make_jury(slug="never-drawn")
    Recruitment.objects.create(jury=other, closed_at=timezone.now())
    for number in range(2):
        Volunteer.objects.create(
            jury=other, name="Someone", email=f"s{number}@example.org", source=VolunteerSource.FORM
        )
    assert delete_expired_volunteers(now=_in_days(99)) == {}
    assert delete_expired_volunteers(now=_in_days(101)) == {other.slug: 2}  # nobody on a panel


def test_access_needs_of_the_panel_are_deleted_when_the_jury_ends(jury, pool):
    people = pool["people"]
    Volunteer.objects.filter(pk__in=[people[0].pk, people[2].pk]).update(
        access_needs="Step-free access, hearing loop"
    )
    assert delete_expired_volunteers() == {}
    assert Volunteer.objects.exclude(access_needs="").count() == 2  # the jury is still running

    _report_published(jury, days_ago=0)
    delete_expired_volunteers()

    assert Volunteer.objects.count() == 5  # the rest waits for the retention period
    assert not Volunteer.objects.exclude(access_needs="").exists()
    entry = AuditEntry.objects.get(action="volunteers.forget_access_needs")
    assert "2" in entry.summary and "Step-free" not in entry.summary


def test_the_retention_setting_has_an_upper_bound(jury, facilitator):
    from juries.selection import recruitment
    from juries.selection.forms.recruitment import RecruitmentSettingsForm

    form = RecruitmentSettingsForm(
        {"panel_size": 12, "eligibility": "", "retention_days": 3650},
        instance=Recruitment(jury=jury),
    )
    assert not form.is_valid()
    assert "at most 365 days" in form.errors["retention_days"][0]
    with pytest.raises(recruitment.RecruitmentError):
        recruitment.update_recruitment(jury, facilitator, 12, "", 3650)


@pytest.mark.parametrize("value", ["3650", "ninety", "-1"])
def test_the_server_refuses_to_start_with_a_retention_it_cannot_honour(value):
    import os
    import subprocess
    import sys

    env = {**os.environ, "SELECTION_RETENTION_DAYS": value}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "deliberate.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SELECTION_RETENTION_DAYS must be" in result.stderr


def test_a_retention_saved_before_the_upper_bound_is_held_to_it(jury, pool, settings):
    settings.SELECTION_RETENTION_MAX_DAYS = 365
    Recruitment.objects.filter(jury=jury).update(retention_days=3000)
    _report_published(jury, days_ago=366)
    assert delete_expired_volunteers() == {jury.slug: 3}
