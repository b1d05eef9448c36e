"""The register is changed only by those responsible for an entry: staff, and the facilitators of
a jury that reviews the system. Every change keeps the earlier version, shown on the system's
public page, and is audited for each jury linked to the system."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from evidence.models import System, SystemStatus, SystemVersion
from juries.models import AuditEntry, Membership, Role, Visibility

NEWER = {
    "schema": "deliberate.atrs/1",
    "tier_1": {"name": "Risk score", "description": "Scores claims from 0 to 100."},
    "metadata": {"organisation": "Council", "date_published": "2026-03-01"},
    "deliberate": {"purpose": "To choose which claims a person checks first.", "status": "piloted"},
}


@pytest.fixture
def system(jury):
    jury.visibility = Visibility.PUBLIC
    jury.save()
    entry = System.objects.create(
        slug="risk-score",
        name="Risk score",
        organisation="Council",
        purpose="To pick claims to check by hand.",
        risks=[{"name": "Bias", "description": "Some groups flagged more.", "mitigation": ""}],
    )
    entry.juries.add(jury)
    return entry


@pytest.fixture
def other_facilitator(make_jury, make_person):
    """The facilitator of another jury, which does not review the system."""
    other = make_jury(slug="parking-permits", title="Parking permits")
    person = make_person("fay@example.org", "Fay Other")
    Membership.objects.create(jury=other, user=person, role=Role.FACILITATOR)
    return person


@pytest.fixture
def staff(make_person):
    person = make_person("stef@example.org", "Stef Staff")
    person.is_staff = True
    person.save()
    return person


def reimport(client, system, record=NEWER):
    return client.post(
        reverse("evidence:system-reimport", args=[system.slug]),
        {"record_text": json.dumps(record), "format": "json"},
    )


def unchanged(system):
    row = System.objects.get(pk=system.pk)
    return (
        row.purpose == "To pick claims to check by hand."
        and not SystemVersion.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="register.").exists()
    )


# --- Refused -----------------------------------------------------------------------------------


def test_a_facilitator_of_another_jury_is_refused_the_page_naming_the_system(
    client, system, other_facilitator
):
    client.force_login(other_facilitator)

    response = client.get(reverse("evidence:system-reimport", args=[system.slug]))

    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot change this entry" in page
    assert "“Risk score”" in page


def test_a_facilitator_of_another_jury_is_refused_the_import_and_nothing_changes(
    client, system, other_facilitator
):
    client.force_login(other_facilitator)

    response = reimport(client, system)

    assert response.status_code == 403
    assert "Nothing was changed" in response.content.decode()
    assert unchanged(system)


def test_members_of_the_reviewing_jury_other_than_facilitators_are_refused(
    client, system, juror, witness, observer, oversight, outsider
):
    for person in (juror, witness, observer, oversight, outsider):
        client.force_login(person)
        assert reimport(client, system).status_code == 403
    assert unchanged(system)


def test_the_system_page_offers_a_new_record_only_to_those_who_may_change_it(
    client, system, facilitator, other_facilitator
):
    link = reverse("evidence:system-reimport", args=[system.slug])
    client.force_login(other_facilitator)
    assert link not in client.get(system.get_absolute_url()).content.decode()
    client.force_login(facilitator)
    assert link in client.get(system.get_absolute_url()).content.decode()


def test_a_new_entry_cannot_be_linked_to_a_jury_one_does_not_facilitate(
    client, jury, other_facilitator
):
    client.force_login(other_facilitator)

    response = client.post(
        reverse("evidence:system-import"),
        {"record_text": json.dumps(NEWER), "format": "json", "jury": jury.pk},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not System.objects.exists()


# --- Allowed, kept and audited -----------------------------------------------------------------


def test_a_facilitator_of_the_reviewing_jury_changes_the_entry_and_the_earlier_one_is_kept(
    client, system, facilitator
):
    client.force_login(facilitator)

    response = reimport(client, system)

    assert response.url == system.get_absolute_url()
    system.refresh_from_db()
    assert system.purpose == NEWER["deliberate"]["purpose"]
    version = SystemVersion.objects.get(system=system)
    assert version.changed_by == facilitator
    assert version.fields["purpose"] == "To pick claims to check by hand."
    assert version.fields["status"] == SystemStatus.PROPOSED
    assert version.fields["risks"][0]["name"] == "Bias"
    assert version.fields["date_published"] is None
    assert {"purpose", "status", "description", "date_published"} <= set(version.changed)
    assert "name" not in version.changed


def test_the_earlier_version_holds_every_field_as_it_was_in_the_database(
    client, system, facilitator
):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE evidence_system SET team = %s WHERE id = %s", ["Analytics", system.pk]
        )
    client.force_login(facilitator)

    reimport(client, system)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT fields FROM evidence_systemversion WHERE system_id = %s", [system.pk]
        )
        (stored,) = cursor.fetchone()
    earlier = json.loads(stored) if isinstance(stored, str) else stored
    assert earlier["team"] == "Analytics"
    assert earlier["slug"] == "risk-score"
    assert set(earlier) >= {"purpose", "name", "organisation", "risks", "source_document"}


def test_a_change_is_audited_once_for_each_jury_that_reviews_the_system(
    client, system, jury, make_jury, facilitator
):
    second = make_jury(slug="second-look", title="Second look")
    system.juries.add(second)
    client.force_login(facilitator)

    reimport(client, system)

    entries = AuditEntry.objects.filter(action="register.change")
    assert {entry.jury for entry in entries} == {jury, second}
    assert all(entry.actor == facilitator for entry in entries)
    assert all(entry.target_id == str(system.pk) for entry in entries)
    assert "purpose statement" in entries[0].summary


def test_the_history_on_the_public_page_says_what_changed_and_when_but_not_who(
    client, system, facilitator
):
    client.force_login(facilitator)
    reimport(client, system)
    client.logout()

    page = client.get(system.get_absolute_url()).content.decode()

    history = page[page.index("Changes to this entry") :]
    assert "purpose statement" in history
    assert "To pick claims to check by hand." in history
    assert "<time datetime=" in history
    assert "Fran" not in page


def test_an_entry_never_changed_says_so(client, system):
    page = client.get(system.get_absolute_url()).content.decode()
    assert "Not changed since it was added" in page


def test_staff_may_change_an_entry_no_jury_reviews_and_it_is_audited(client, system, staff):
    system.juries.clear()
    client.force_login(staff)

    reimport(client, system)

    assert SystemVersion.objects.get(system=system).changed_by == staff
    entry = AuditEntry.objects.get(action="register.change")
    assert entry.jury is None and entry.actor == staff


def test_a_facilitator_adds_a_system_for_their_jury_and_it_is_audited(client, jury, facilitator):
    client.force_login(facilitator)

    response = client.post(
        reverse("evidence:system-import"),
        {"record_text": json.dumps(NEWER), "format": "json", "jury": jury.pk},
    )

    system = System.objects.get()
    assert response.url == system.get_absolute_url()
    assert list(system.juries.all()) == [jury]
    entry = AuditEntry.objects.get(action="register.add")
    assert entry.jury == jury and entry.actor == facilitator
    assert not SystemVersion.objects.exists()


def test_a_facilitator_must_say_which_of_their_juries_a_new_system_is_for(
    client, jury, facilitator
):
    client.force_login(facilitator)

    response = client.post(
        reverse("evidence:system-import"), {"record_text": json.dumps(NEWER), "format": "json"}
    )

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not System.objects.exists()


def test_a_facilitator_of_another_jury_cannot_link_the_system_to_gain_the_right_to_change_it(
    client, system, jury, make_jury, make_person
):
    other = make_jury(slug="parking-permits", title="Parking permits")
    person = make_person("fay@example.org", "Fay Other")
    Membership.objects.create(jury=other, user=person, role=Role.FACILITATOR)
    client.force_login(person)

    response = client.post(reverse("evidence:systems", args=[other.slug]), {"system": system.pk})

    assert response.status_code == 200
    assert "Ask the site&#x27;s staff to add it to this jury." in response.content.decode()
    assert not system.juries.filter(pk=other.pk).exists()
    assert not AuditEntry.objects.filter(action="register.link").exists()
    assert reimport(client, system, NEWER).status_code == 403
    assert unchanged(system)


def test_a_facilitator_of_both_juries_may_link_and_it_is_audited_for_both(
    client, system, jury, facilitator, make_jury
):
    other = make_jury(slug="parking-permits", title="Parking permits")
    Membership.objects.create(jury=other, user=facilitator, role=Role.FACILITATOR)
    client.force_login(facilitator)

    response = client.post(reverse("evidence:systems", args=[other.slug]), {"system": system.pk})

    assert response.status_code == 302
    links = AuditEntry.objects.filter(action="register.link")
    assert {entry.jury for entry in links} == {jury, other}
    assert "may change the entry" in links.get(jury=jury).summary


def test_a_bad_record_keeps_no_version_and_writes_no_audit_entry(client, system, facilitator):
    client.force_login(facilitator)

    response = reimport(client, system, {"metadata": {"phase": "live"}})

    assert "The record could not be imported" in response.content.decode()
    assert unchanged(system)


def test_a_staff_edit_in_the_admin_keeps_the_earlier_version_and_is_audited(
    client, system, jury, staff
):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    address = reverse("admin:evidence_system_change", args=[system.pk])
    form = client.get(address).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    for name in ("third_parties", "models_used", "datasets", "impact_assessments", "risks"):
        data[name] = json.dumps(getattr(system, name))
    data.update(purpose="Changed in the admin.", **_empty_inline())

    response = client.post(address, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    version = SystemVersion.objects.get(system=system)
    assert version.fields["purpose"] == "To pick claims to check by hand."
    assert version.changed == ["purpose"]
    assert AuditEntry.objects.get(action="register.change").jury == jury


def _empty_inline():
    prefix = "versions"
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_staff_cannot_delete_an_entry_and_its_history_in_the_admin(client, system, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)

    response = client.post(
        reverse("admin:evidence_system_delete", args=[system.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert System.objects.filter(pk=system.pk).exists()
