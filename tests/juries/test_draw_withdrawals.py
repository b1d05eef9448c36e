"""People withdraw, pools change, files misbehave: the draw stays honest and nothing fails silently."""

import pytest
from django.core import mail
from django.utils import timezone

from juries.models import (
    Answer,
    AuditEntry,
    Draw,
    DrawState,
    InvitationState,
    PlaceState,
    Recruitment,
    Volunteer,
)
from juries.selection import draws, quotas, recruitment, volunteer_import
from juries.selection.panel import invite_selected, panel_places

from .draw_helpers import at_selection, computed_draw, drawn_draw, make_pool


@pytest.fixture
def pool(jury):
    at_selection(jury)
    return make_pool(jury)


@pytest.fixture
def drawn(jury, facilitator, pool, django_capture_on_commit_callbacks):
    return drawn_draw(jury, facilitator, django_capture_on_commit_callbacks)


def test_a_panel_member_who_withdraws_after_the_seed_is_replaced_when_invitations_go_out(
    drawn, facilitator
):
    leaving = panel_places(drawn).first()
    recruitment.withdraw(leaving.volunteer)
    leaving.refresh_from_db()
    assert leaving.state == PlaceState.UNAVAILABLE

    result = invite_selected(draw=drawn, by=facilitator)

    assert result.sent == drawn.panel_size
    assert result.open_seats == 0 and result.not_invited == []
    leaving.refresh_from_db()
    assert leaving.replaced_by.volunteer.in_pool
    assert drawn.replacements.get().leaving == leaving
    invited = {m.to[0] for m in mail.outbox if "invit" in m.subject.lower()}
    assert leaving.volunteer.email not in invited


def test_a_seat_no_reserve_can_fill_does_not_stop_the_other_invitations(drawn, facilitator):
    leaving = panel_places(drawn).first()
    recruitment.withdraw(leaving.volunteer)
    # Every reserve withdraws too: nobody can take the seat.
    for place in drawn.places.filter(kind="reserve").select_related("volunteer"):
        recruitment.withdraw(place.volunteer)

    result = invite_selected(draw=drawn, by=facilitator)

    assert result.open_seats == 1
    assert result.sent == drawn.panel_size - 1
    drawn.refresh_from_db()
    assert drawn.invitations_sent_at is not None


def test_the_page_says_which_seats_were_left_empty(client, jury, drawn, facilitator):
    recruitment.withdraw(panel_places(drawn).first().volunteer)
    for place in drawn.places.filter(kind="reserve").select_related("volunteer"):
        recruitment.withdraw(place.volunteer)
    client.force_login(facilitator)

    response = client.post(
        f"/juries/{jury.slug}/manage/selection/draw/invite/", {"draw": drawn.pk}, follow=True
    )

    page = response.content.decode()
    assert "7 invitations sent." in page
    assert "1 place is empty" in page


def test_withdrawing_after_being_invited_withdraws_the_invitation_and_its_address(
    drawn, facilitator
):
    invite_selected(draw=drawn, by=facilitator)
    place = panel_places(drawn).select_related("invitation").first()
    address = place.volunteer.email

    recruitment.withdraw(place.volunteer)

    place.refresh_from_db()
    place.invitation.refresh_from_db()
    assert place.state == PlaceState.UNAVAILABLE
    assert place.invitation.state == InvitationState.REVOKED
    assert place.invitation.email != address
    assert not Volunteer.objects.filter(email=address).exists()
    entry = AuditEntry.objects.filter(action="volunteer.withdraw").get()
    assert address not in entry.summary


def test_a_volunteer_who_answered_no_question_is_still_in_the_draw(
    jury, facilitator, pool, django_capture_on_commit_callbacks
):
    Answer.objects.filter(volunteer=pool[0]).delete()

    draw = computed_draw(jury, facilitator, django_capture_on_commit_callbacks)

    assert draw.volunteer_count == len(pool)
    assert pool[0].pseudonym in draw.inputs["pool"]


def test_the_pool_and_quotas_are_fixed_while_a_lottery_stands_on_them(
    jury, facilitator, pool, django_capture_on_commit_callbacks
):
    draw = computed_draw(jury, facilitator, django_capture_on_commit_callbacks)

    with pytest.raises(recruitment.RecruitmentError, match="cancel the computed lottery"):
        recruitment.open_recruitment(jury, facilitator)
    result = volunteer_import.import_volunteers(
        jury, "name,email,gender,age\nNew Person,new@example.org,female,under 40\n", facilitator
    )
    assert result.problems and "cancel the computed lottery" in str(result.problems[0][1])
    value = pool[0].answers.first().value
    with pytest.raises(quotas.QuotaError):
        quotas.set_quotas(jury, facilitator, {value.pk: (None, 0, 8)})

    draws.cancel_draw(draw=draw, by=facilitator)
    recruitment.open_recruitment(jury, facilitator)
    assert Recruitment.objects.get(jury=jury).is_open


def test_starting_again_discards_a_computed_lottery_with_a_record(
    jury, facilitator, pool, django_capture_on_commit_callbacks
):
    first = computed_draw(jury, facilitator, django_capture_on_commit_callbacks)
    second = computed_draw(jury, facilitator, django_capture_on_commit_callbacks)

    first.refresh_from_db()
    assert first.state == DrawState.CANCELLED
    assert second.state == DrawState.COMPUTED
    assert AuditEntry.objects.filter(action="draw.cancel", target_id=str(first.pk)).exists()
    assert Draw.objects.live().count() == 1


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("N" * 151 + ",long@example.org,female,under 40", "longer than 150"),
        ("Nat," + "a" * 250 + "@example.org,female,under 40", "longer than 254"),
    ],
)
def test_an_import_line_too_long_for_the_database_is_reported_not_a_crash(
    jury, facilitator, line, problem
):
    make_pool(jury, size=0)
    Recruitment.objects.filter(jury=jury).update(state="open")

    result = volunteer_import.import_volunteers(
        jury, f"name,email,gender,age\n{line}\n", facilitator
    )

    assert result.problems and problem in str(result.problems[0][1])
    assert not Volunteer.objects.exists()


def test_a_computation_cancelled_while_running_stays_cancelled(jury, facilitator, pool, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    draw = draws.start_draw(jury=jury, by=facilitator)
    Draw.objects.filter(pk=draw.pk).update(state=DrawState.RUNNING, started_at=timezone.now())
    running = Draw.objects.get(pk=draw.pk)  # as the worker loaded it

    draws.cancel_draw(draw=draw, by=facilitator)
    # The worker stops at its next check...
    with pytest.raises(draws.SelectionCancelled):
        draws._compute(running)
    # ...and a worker finishing just then does not undo the cancel.
    draws._finish(running, DrawState.COMPUTED)

    draw.refresh_from_db()
    assert draw.state == DrawState.CANCELLED


def test_jurors_start_learning_only_once_the_lottery_is_drawn(
    jury, facilitator, juror, pool, django_capture_on_commit_callbacks
):
    from juries.stages import StageChangeError, change_stage

    from .draw_helpers import RULE

    draw = computed_draw(jury, facilitator, django_capture_on_commit_callbacks)
    with pytest.raises(StageChangeError, match="lottery is not finished"):
        change_stage(jury=jury, to_stage="learning", by=facilitator)
    draws.publish_distribution(draw=draw, by=facilitator, **RULE)
    with pytest.raises(StageChangeError, match="lottery is not finished"):
        change_stage(jury=jury, to_stage="learning", by=facilitator)

    draws.enter_seed(draw=draw, seed="1 2 3 4 5 6", by=facilitator)
    change_stage(jury=jury, to_stage="learning", by=facilitator)
    jury.refresh_from_db()
    assert jury.stage == "learning"
