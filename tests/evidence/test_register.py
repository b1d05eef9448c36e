"""The public register of systems under review: list, search, record page, export, import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.demo import SYSTEM, seed_register
from evidence.models import System, SystemStatus
from juries.models import Visibility


@pytest.fixture
def system(jury):
    jury.visibility = Visibility.PUBLIC
    jury.save()
    return seed_register(jury)


def make_systems(count, start=0):
    for n in range(start, start + count):
        System.objects.create(
            slug=f"system-{n}", name=f"System {n}", purpose=f"Purpose {n}", organisation="Council"
        )


def test_anyone_can_read_the_register_with_purpose_owner_status_and_juries(client, system, jury):
    page = client.get(reverse("evidence:register")).content.decode()
    assert system.name in page
    assert "To decide which new Housing Support claims get extra checks" in page
    assert "Department for Work and Welfare" in page
    assert "Proposed" in page
    assert jury.title in page


def test_a_hidden_jury_is_not_named_in_the_register(client, system, jury):
    jury.visibility = Visibility.HIDDEN
    jury.save()
    page = client.get(reverse("evidence:register")).content.decode()
    assert jury.title not in page


def test_the_register_can_be_searched_and_filtered(client, system):
    make_systems(3)
    assert (
        system.name in client.get(reverse("evidence:register"), {"q": "housing"}).content.decode()
    )
    found = client.get(reverse("evidence:register"), {"q": "nothing like this"}).content.decode()
    assert "No system matches your search" in found
    System.objects.filter(slug="system-1").update(status=SystemStatus.IN_USE)
    page = client.get(reverse("evidence:register"), {"status": "in_use"}).content.decode()
    assert "System 1" in page and "System 2" not in page


def test_a_system_page_shows_its_purpose_first(client, system):
    page = client.get(system.get_absolute_url()).content.decode()
    main = page[page.index("<main") :]
    assert main.index("What it is for") < main.index("What it does")
    assert "Some groups checked more often" in page


def test_the_register_page_does_not_do_more_queries_for_more_systems(client, jury):
    jury.visibility = Visibility.PUBLIC
    jury.save()
    make_systems(5)
    for system in System.objects.all():
        system.juries.add(jury)
    url = reverse("evidence:register")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make_systems(45, start=5)
    for system in System.objects.all():
        system.juries.add(jury)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_record_downloads_as_json_and_csv(client, system):
    as_json = client.get(reverse("evidence:system-json", args=[system.slug]))
    assert as_json["Content-Type"].startswith("application/json")
    assert as_json.json()["deliberate"]["purpose"] == SYSTEM["purpose"]
    as_csv = client.get(reverse("evidence:system-csv", args=[system.slug]))
    assert as_csv["Content-Type"].startswith("text/csv")
    assert "risk_name_1" in as_csv.content.decode()


def test_people_who_are_not_staff_or_facilitators_cannot_import(client, juror, observer, outsider):
    for person in (juror, observer, outsider):
        client.force_login(person)
        assert client.get(reverse("evidence:system-import")).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in_to_import(client, db):
    response = client.get(reverse("evidence:system-import"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_a_facilitator_imports_an_exported_record_as_a_new_entry(client, system, jury, facilitator):
    exported = client.get(reverse("evidence:system-json", args=[system.slug])).content
    client.force_login(facilitator)
    response = client.post(
        reverse("evidence:system-import"),
        {
            "record_file": SimpleUploadedFile("record.json", exported, "application/json"),
            "jury": jury.pk,
        },
    )
    copy = System.objects.exclude(pk=system.pk).get()
    assert response.url == copy.get_absolute_url()
    assert copy.purpose == system.purpose
    assert copy.risks == system.risks
    assert copy.source_format == "json"


def test_a_malformed_record_is_refused_with_its_problems_and_nothing_saved(
    client, jury, facilitator
):
    client.force_login(facilitator)
    response = client.post(
        reverse("evidence:system-import"),
        {
            "record_text": '{"tier_1": {"name": ""}, "metadata": {"phase": "live"}}',
            "format": "json",
            "jury": jury.pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The record could not be imported" in page
    assert "Nothing was saved" in page
    assert "phase" in page
    assert not System.objects.exists()


def test_a_file_that_is_not_text_is_refused_plainly(client, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("evidence:system-import"),
        {"record_file": SimpleUploadedFile("record.csv", b"\xff\xfe\x00\x81" * 20)},
    )
    assert "could not be read as text" in response.content.decode()
    assert not System.objects.exists()


def test_an_older_record_without_a_purpose_can_be_given_one_on_import(client, jury, facilitator):
    client.force_login(facilitator)
    flat = '{"name": "Parking permit checker", "organisation": "Riverside Council", "phase": "production"}'
    refused = client.post(reverse("evidence:system-import"), {"record_text": flat, "jury": jury.pk})
    assert "purpose statement is required" in refused.content.decode()
    assert not System.objects.exists()

    client.post(
        reverse("evidence:system-import"),
        {
            "record_text": flat,
            "purpose": "To check permit applications against vehicle records.",
            "jury": jury.pk,
        },
    )
    system = System.objects.get()
    assert system.purpose == "To check permit applications against vehicle records."
    assert system.phase == "production"


def test_staff_may_import_too(client, make_person):
    staff = make_person("staff@example.org", "Staff")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(reverse("evidence:system-import")).status_code == 200


def test_a_facilitator_links_and_unlinks_the_system_their_jury_reviews(
    client, jury, facilitator, juror
):
    make_systems(1)
    system = System.objects.get()
    url = reverse("evidence:systems", args=[jury.slug])
    client.force_login(juror)
    assert client.post(url, {"system": system.pk}).status_code == 403
    client.force_login(facilitator)
    client.post(url, {"system": system.pk})
    assert list(jury.systems_under_review.all()) == [system]
    client.post(url, {"remove": system.pk})
    assert not jury.systems_under_review.exists()
