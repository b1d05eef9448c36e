"""What a facilitator does on the dashboard and the pages behind it."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from juries.models import AuditEntry, Invitation, Jury, Sitting, Stage, StageChange


def test_moving_the_jury_on_records_the_note(client, jury, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("juries:change-stage", args=[jury.slug]),
        {"to_stage": "selection", "note": "Remit agreed"},
        follow=True,
    )
    assert "The jury is now at the “Selection” stage." in response.content.decode()
    change = StageChange.objects.get(jury=jury)
    assert (change.from_stage, change.to_stage, change.note, change.changed_by) == (
        "setup",
        "selection",
        "Remit agreed",
        facilitator,
    )


def test_skipping_a_stage_is_refused_with_a_reason(client, jury, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("juries:change-stage", args=[jury.slug]), {"to_stage": "decision"}, follow=True
    )
    assert "it can only move one stage at a time" in response.content.decode()
    assert Jury.objects.get(pk=jury.pk).stage == Stage.SETUP


def test_a_made_up_stage_is_refused_without_an_error_page(client, jury, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("juries:change-stage", args=[jury.slug]), {"to_stage": "party"}, follow=True
    )
    assert response.status_code == 200
    assert "Choose the stage" in response.content.decode()


def test_inviting_an_existing_member_explains_why_and_keeps_the_address(
    client, jury, facilitator, juror
):
    client.force_login(facilitator)
    response = client.post(
        reverse("juries:invite", args=[jury.slug]),
        {"kind": "single", "email": juror.email, "role": "juror"},
    )
    page = response.content.decode()
    assert "already a member of the jury" in page
    assert f'value="{juror.email}"' in page
    assert not Invitation.objects.exists()


def test_a_csv_of_invitations_reports_each_line_it_could_not_use(
    client, jury, facilitator, juror, mailoutbox
):
    client.force_login(facilitator)
    csv = (
        b"email,role\nana@example.org,juror\nnot-an-address\nben@example.org,chef\nana@example.org\n"
        + juror.email.encode()
    )
    response = client.post(
        reverse("juries:invite", args=[jury.slug]),
        {
            "kind": "bulk",
            "role": "juror",
            "csv_file": SimpleUploadedFile("people.csv", csv, "text/csv"),
        },
    )
    page = response.content.decode()
    assert "1 invitation sent" in page
    assert "4 lines could not be used" in page
    for reason in (
        "This is not an email address.",
        "Unknown role",
        "appears more than once",
        "already a member",
    ):
        assert reason in page
    assert list(Invitation.objects.values_list("email", flat=True)) == ["ana@example.org"]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ana@example.org"]
    assert Invitation.objects.get().get_absolute_url() in mailoutbox[0].body


def test_a_file_that_is_not_text_is_refused_plainly(client, jury, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("juries:invite", args=[jury.slug]),
        {
            "kind": "bulk",
            "role": "juror",
            "csv_file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00\x81\x8d\x9d" * 10),
        },
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_withdrawing_and_resending_from_the_dashboard(client, jury, facilitator, mailoutbox):
    invitation = Invitation.objects.create(
        jury=jury, email="ana@example.org", invited_by=facilitator
    )
    client.force_login(facilitator)
    client.post(reverse("juries:resend-invitation", args=[jury.slug, invitation.pk]))
    assert len(mailoutbox) == 1
    client.post(reverse("juries:revoke-invitation", args=[jury.slug, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.state == "revoked"
    response = client.post(
        reverse("juries:resend-invitation", args=[jury.slug, invitation.pk]), follow=True
    )
    assert "cannot be sent again" in response.content.decode()
    assert len(mailoutbox) == 1


def test_scheduling_a_sitting_with_its_agenda(client, jury, facilitator):
    client.force_login(facilitator)
    data = {
        "title": "How the score is made",
        "description": "",
        "starts_at": "2030-03-05T18:30",
        "ends_at": "2030-03-05T20:30",
        "video_url": "https://meet.example.org/jury",
        "agenda-TOTAL_FORMS": "3",
        "agenda-INITIAL_FORMS": "0",
        "agenda-MIN_NUM_FORMS": "0",
        "agenda-MAX_NUM_FORMS": "1000",
        "agenda-0-title": "Welcome",
        "agenda-0-planned_minutes": "10",
        "agenda-0-position": "1",
        "agenda-1-title": "Questions to the witness",
        "agenda-1-planned_minutes": "45",
        "agenda-1-position": "2",
    }
    response = client.post(reverse("juries:sitting-create", args=[jury.slug]), data)
    sitting = Sitting.objects.get()
    assert response.url == sitting.get_absolute_url()
    assert [i.title for i in sitting.agenda_items.all()] == ["Welcome", "Questions to the witness"]
    assert sitting.starts_at.hour == 18  # London is on UTC in March
    assert AuditEntry.objects.filter(action="sitting.create").exists()


def test_a_sitting_that_ends_before_it_starts_is_refused_and_the_form_keeps_what_was_typed(
    client, jury, facilitator
):
    client.force_login(facilitator)
    data = {
        "title": "Backwards",
        "starts_at": "2030-03-05T18:30",
        "ends_at": "2030-03-05T17:30",
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
        "agenda-MIN_NUM_FORMS": "0",
        "agenda-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("juries:sitting-create", args=[jury.slug]), data)
    page = response.content.decode()
    assert "The sitting must end after it starts." in page
    assert 'value="Backwards"' in page
    assert not Sitting.objects.exists()


def test_a_sitting_form_with_a_broken_agenda_count_does_not_fail(client, jury, facilitator):
    client.force_login(facilitator)
    response = client.post(reverse("juries:sitting-create", args=[jury.slug]), {"title": "x"})
    assert response.status_code == 200


def test_sitting_calendar_file_downloads(client, jury, juror):
    from django.utils import timezone

    sitting = Sitting.objects.create(
        jury=jury,
        title="First",
        starts_at=timezone.now(),
        ends_at=timezone.now() + timezone.timedelta(hours=1),
    )
    client.force_login(juror)
    response = client.get(reverse("juries:sitting-ics", args=[jury.slug, sitting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content
    assert "attachment" in response["Content-Disposition"]


def test_lines_that_could_not_be_used_are_offered_again_to_correct(client, jury, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("juries:invite", args=[jury.slug]),
        {
            "kind": "bulk",
            "role": "juror",
            "addresses": "ana@example.org\nben@example\ncat@example.org, chef",
        },
    )
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", response.content.decode(), re.S).group(
        1
    )
    assert "ben@example" in textarea
    assert "cat@example.org, chef" in textarea
    assert "ana@example.org" not in textarea


def test_an_address_too_long_to_store_is_refused(client, jury, facilitator):
    client.force_login(facilitator)
    long_address = "a" * 250 + "@example.org"
    response = client.post(
        reverse("juries:invite", args=[jury.slug]),
        {"kind": "bulk", "role": "juror", "addresses": long_address},
    )
    assert response.status_code == 200
    assert (
        "The email address is too long: at most 254 characters (it has 262)."
        in response.content.decode()
    )
    assert not Invitation.objects.exists()


def test_a_list_the_csv_reader_cannot_read_is_reported_not_crashed(client, jury, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("juries:invite", args=[jury.slug]),
        {"kind": "bulk", "role": "juror", "addresses": '"' + "x" * 140_000},
    )
    assert response.status_code == 200
    assert "could not be read" in response.content.decode()


def test_a_sitting_in_the_far_future_is_refused_plainly(client, jury, facilitator):
    client.force_login(facilitator)
    data = {
        "title": "Far away",
        "starts_at": "9999-12-31T22:00",
        "ends_at": "9999-12-31T23:00",
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
        "agenda-MIN_NUM_FORMS": "0",
        "agenda-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("juries:sitting-create", args=[jury.slug]), data)
    assert "Enter a date between the years 2000 and 2200." in response.content.decode()


def test_timeline_errors_are_in_one_summary_that_names_each_stage(client, jury, facilitator):
    client.force_login(facilitator)
    data = {}
    for stage in Stage:
        data[f"{stage.value}-planned_start"] = "2030-05-10"
        data[f"{stage.value}-planned_end"] = "2030-05-01"
    page = client.post(reverse("juries:edit-timeline", args=[jury.slug]), data).content.decode()
    assert page.count('id="error-summary-title"') == 1
    assert "Set-up: The end date must be on or after the start date." in page
    assert "Response: The end date must be on or after the start date." in page


def test_a_jury_with_no_jurors_is_not_offered_learning_and_is_told_why(client, jury, facilitator):
    jury.stage = Stage.SELECTION
    jury.save(update_fields=["stage"])
    client.force_login(facilitator)
    html = client.get(reverse("juries:dashboard", args=[jury.slug])).content.decode()
    assert "Move on to Learning" not in html
    assert "The jury cannot move on to Learning yet" in html
    assert "The jury has no jurors yet." in html
    assert "Go back to Set-up" in html


def test_the_dashboard_tags_each_invitation_by_what_its_state_means(client, jury, facilitator):
    Invitation.objects.create(jury=jury, email="ana@example.org", invited_by=facilitator)
    withdrawn = Invitation.objects.create(jury=jury, email="bo@example.org", invited_by=facilitator)
    Invitation.objects.filter(pk=withdrawn.pk).update(revoked_at=withdrawn.created_at)
    client.force_login(facilitator)

    html = client.get(reverse("juries:dashboard", args=[jury.slug])).content.decode()

    assert '<strong class="tag tag--pending">Waiting for a reply</strong>' in html
    assert '<strong class="tag tag--inactive">Withdrawn</strong>' in html
