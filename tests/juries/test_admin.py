"""The Django admin is usable for every model, and only for staff."""

import pytest
from django.contrib import admin
from django.urls import reverse

from juries.models import AgendaItem, Invitation, Sitting
from tests.conftest import make_user


@pytest.fixture
def staff(db):
    user = make_user("admin@example.org", "Admin")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_every_registered_model_has_a_working_list_and_add_page(client, staff, jury, facilitator):
    Invitation.objects.create(jury=jury, email="x@example.org", invited_by=facilitator)
    client.force_login(staff)
    for model in admin.site._registry:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        obj = model.objects.first()
        if obj is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert client.get(change).status_code == 200, change


def test_the_audit_log_cannot_be_edited_in_the_admin(client, staff, jury, facilitator):
    from juries import audit

    entry = audit.record(actor=facilitator, action="test", summary="Did a thing", jury=jury)
    client.force_login(staff)
    url = reverse("admin:juries_auditentry_delete", args=[entry.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403


def test_people_who_are_not_staff_cannot_open_the_admin(client, juror):
    client.force_login(juror)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_sittings_are_shown_with_their_agenda(client, staff, jury):
    from django.utils import timezone

    sitting = Sitting.objects.create(
        jury=jury,
        title="First",
        starts_at=timezone.now(),
        ends_at=timezone.now() + timezone.timedelta(hours=2),
    )
    AgendaItem.objects.create(sitting=sitting, title="Welcome", planned_minutes=10)
    client.force_login(staff)
    page = client.get(reverse("admin:juries_sitting_change", args=[sitting.pk])).content.decode()
    assert "Welcome" in page


def test_staff_add_a_person_without_a_password(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:juries_user_add"),
        {
            "email": "New.Person@Example.org",
            "display_name": "New",
            # the (read-only) memberships inline's management form, as a browser sends it
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    from juries.models import User

    person = User.objects.get(email="new.person@example.org")
    assert not person.has_usable_password()


def test_a_role_changed_in_the_admin_is_recorded_in_the_jury_audit_log(client, staff, jury, juror):
    from juries.models import AuditEntry, Membership

    membership = Membership.objects.get(user=juror)
    client.force_login(staff)
    url = reverse("admin:juries_membership_change", args=[membership.pk])
    client.post(url, {"jury": jury.pk, "user": juror.pk, "role": "observer"})
    membership.refresh_from_db()
    assert membership.role == "observer"
    entry = AuditEntry.objects.get(action="membership.role")
    assert (entry.jury, entry.actor) == (jury, staff)


def test_a_jury_cannot_be_deleted_from_the_admin(client, staff, jury):
    client.force_login(staff)
    response = client.post(reverse("admin:juries_jury_delete", args=[jury.pk]), {"post": "yes"})
    assert response.status_code == 403
