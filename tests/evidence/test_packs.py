"""Evidence packs: reading, "updated since you read it", balance, uploads, and who may see what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.models import EvidenceItem, EvidenceItemVersion, EvidencePack, Reading
from juries.models import Membership, Role, Stage
from tests.conftest import make_user

from .conftest import PDF, item_data


def add_item(pack, n=1, **fields):
    defaults = {
        "title": f"Item {n}",
        "provided_by": "The department",
        "standpoint": "commissioning",
        "summary": f"Summary {n}",
        "body": f"Body of item {n}",
        "position": n,
    }
    defaults.update(fields)
    item = EvidenceItem.objects.create(pack=pack, **defaults)
    EvidenceItemVersion.objects.create(
        item=item, version=1, title=item.title, summary=item.summary, body=item.body
    )
    return item


def test_reading_an_item_marks_it_read_for_that_juror_only(client, jury, pack, juror, other_juror):
    item = add_item(pack)
    client.force_login(juror)
    assert "New" in client.get(reverse("evidence:pack", args=[jury.slug, pack.pk])).content.decode()
    client.get(reverse("evidence:item", args=[jury.slug, item.pk]))
    page = client.get(reverse("evidence:pack", args=[jury.slug, pack.pk])).content.decode()
    assert "Read" in page and ">New<" not in page
    assert not Reading.objects.filter(user=other_juror).exists()


def test_an_edited_item_shows_as_updated_with_what_changed(client, jury, pack, facilitator, juror):
    item = add_item(pack)
    client.force_login(juror)
    client.get(reverse("evidence:item", args=[jury.slug, item.pk]))

    client.force_login(facilitator)
    client.post(
        reverse("evidence:item-edit", args=[jury.slug, pack.pk, item.pk]),
        item_data(
            title="Item 1",
            body="Body of item 1, now with the test results.",
            change_note="Added results",
        ),
    )
    item.refresh_from_db()
    assert item.version == 2
    assert item.versions.count() == 2

    client.force_login(juror)
    assert (
        "Updated since you read it"
        in client.get(reverse("evidence:pack", args=[jury.slug, pack.pk])).content.decode()
    )
    page = client.get(reverse("evidence:item", args=[jury.slug, item.pk])).content.decode()
    assert "Added results" in page
    assert "now with the test results" in page
    assert (
        "Updated since you read it"
        not in client.get(reverse("evidence:item", args=[jury.slug, item.pk])).content.decode()
    )


def test_markdown_in_evidence_is_shown_safely(client, jury, pack, juror):
    item = add_item(pack, body="**Bold** <script>alert(1)</script> [link](javascript:alert(1))")
    client.force_login(juror)
    page = client.get(reverse("evidence:item", args=[jury.slug, item.pk])).content.decode()
    assert "<strong>Bold</strong>" in page
    assert "<script>alert(1)" not in page
    assert "javascript:" not in page


def test_the_balance_view_splits_the_demo_packs_by_standpoint(client, jury, facilitator):
    from evidence.demo import seed_evidence

    seed_evidence(jury, facilitator)
    client.force_login(facilitator)
    page = client.get(reverse("evidence:balance", args=[jury.slug])).content.decode()
    for label in (
        "Commissioning body",
        "Operator or supplier",
        "Independent expert",
        "Civil society",
        "People with lived experience",
        "Legal",
    ):
        assert label in page
    assert "33.3%" in page  # one rule for every percentage (juries.numbers)
    assert "No item from:" in page  # each demo pack lacks some standpoints, and says which


def test_observers_see_the_balance_but_jurors_do_not(client, jury, observer, juror):
    client.force_login(observer)
    assert client.get(reverse("evidence:balance", args=[jury.slug])).status_code == 200
    client.force_login(juror)
    assert client.get(reverse("evidence:balance", args=[jury.slug])).status_code == 403


@pytest.mark.parametrize("who", ["juror", "observer", "witness", "oversight"])
def test_only_facilitators_add_evidence(client, jury, pack, personas, who):
    client.force_login(personas[who])
    assert client.get(reverse("evidence:pack-create", args=[jury.slug])).status_code == 403
    response = client.post(reverse("evidence:item-create", args=[jury.slug, pack.pk]), item_data())
    assert response.status_code == 403
    assert not EvidenceItem.objects.exists()


def test_evidence_is_settled_once_voting_starts(client, jury, pack, facilitator):
    jury.stage = Stage.DECISION
    jury.save()
    client.force_login(facilitator)
    assert client.get(reverse("evidence:item-create", args=[jury.slug, pack.pk])).status_code == 403


def test_outsiders_and_jurors_of_another_jury_cannot_see_evidence_or_its_files(
    client, jury, pack, outsider, make_jury
):
    item = add_item(pack, kind="document", file=SimpleUploadedFile("report.pdf", PDF))
    other = make_jury(slug="another-jury")
    stranger = make_user("stranger@example.org", "Stranger")
    Membership.objects.create(jury=other, user=stranger, role=Role.JUROR)
    for person in (outsider, stranger):
        client.force_login(person)
        for url in (
            reverse("evidence:index", args=[jury.slug]),
            reverse("evidence:pack", args=[jury.slug, pack.pk]),
            reverse("evidence:item", args=[jury.slug, item.pk]),
            reverse("evidence:item-file", args=[jury.slug, item.pk]),
            # the item through the other jury's address
            reverse("evidence:item-file", args=[other.slug, item.pk]),
        ):
            assert client.get(url).status_code == 404, (person, url)


def test_a_member_opens_an_uploaded_pdf_in_the_browser(
    client, jury, pack, juror, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    item = add_item(pack, kind="document", file=SimpleUploadedFile("report.pdf", PDF))
    client.force_login(juror)
    response = client.get(reverse("evidence:item-file", args=[jury.slug, item.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == PDF


def test_an_upload_that_lies_about_its_type_is_refused(
    client, jury, pack, facilitator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(facilitator)
    fake = SimpleUploadedFile(
        "report.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
    )
    response = client.post(
        reverse("evidence:item-create", args=[jury.slug, pack.pk]),
        item_data(kind="document", body="", file=fake),
    )
    page = response.content.decode()
    assert "Its name says .pdf, but its content is something else" in page
    assert 'value="The supplier&#x27;s account"' in page or "The supplier" in page
    assert not EvidenceItem.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(
    client, jury, pack, facilitator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024
    client.force_login(facilitator)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 4096)
    response = client.post(
        reverse("evidence:item-create", args=[jury.slug, pack.pk]),
        item_data(kind="document", file=big),
    )
    assert "the limit is" in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_audio_or_video_needs_a_transcript(client, jury, pack, facilitator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(facilitator)
    ogg = SimpleUploadedFile("talk.ogg", b"OggS" + b"\x00" * 60)
    response = client.post(
        reverse("evidence:item-create", args=[jury.slug, pack.pk]),
        item_data(kind="media", file=ogg),
    )
    assert "Audio and video need a transcript or captions." in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_a_facilitator_adds_a_text_item_and_it_is_kept_as_version_one(
    client, jury, pack, facilitator
):
    client.force_login(facilitator)
    response = client.post(reverse("evidence:item-create", args=[jury.slug, pack.pk]), item_data())
    item = EvidenceItem.objects.get()
    assert response.url == reverse("evidence:item", args=[jury.slug, item.pk])
    assert item.versions.get().version == 1


def test_facilitators_see_who_may_need_help_without_a_league_table(
    client, jury, pack, facilitator, juror, other_juror
):
    item = add_item(pack)
    client.force_login(juror)
    client.get(reverse("evidence:item", args=[jury.slug, item.pk]))
    client.force_login(facilitator)
    page = client.get(reverse("evidence:index", args=[jury.slug])).content.decode()
    assert "1 juror has not opened “How the score works”" in page
    assert "Kim" not in page


@pytest.mark.parametrize("page", ["evidence:index", "evidence:pack"])
def test_evidence_pages_do_not_do_more_queries_for_more_items(client, jury, pack, juror, page):
    args = [jury.slug] if page == "evidence:index" else [jury.slug, pack.pk]
    url = reverse(page, args=args)
    for n in range(1, 6):
        add_item(pack, n)
    client.force_login(juror)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6, 51):
        add_item(pack, n)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_draft_pack_is_hidden_from_jurors_until_it_is_published(
    client, jury, facilitator, juror, observer
):
    draft = EvidencePack.objects.create(jury=jury, title="Still being built")
    item = add_item(draft, kind="document", file=SimpleUploadedFile("a.pdf", PDF))
    urls = [
        reverse("evidence:pack", args=[jury.slug, draft.pk]),
        reverse("evidence:item", args=[jury.slug, item.pk]),
        reverse("evidence:item-file", args=[jury.slug, item.pk]),
    ]
    client.force_login(juror)
    assert (
        "Still being built"
        not in client.get(reverse("evidence:index", args=[jury.slug])).content.decode()
    )
    assert all(client.get(url).status_code == 404 for url in urls)
    for person in (facilitator, observer):
        client.force_login(person)
        assert "Draft" in client.get(urls[0]).content.decode()

    client.force_login(facilitator)
    client.post(reverse("evidence:pack-publish", args=[jury.slug, draft.pk]), {"publish": "1"})
    client.force_login(juror)
    assert all(client.get(url).status_code == 200 for url in urls)
