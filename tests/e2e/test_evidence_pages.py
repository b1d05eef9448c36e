"""Evidence pages pass axe-core, and a juror reads an item by keyboard and sees their progress."""

import pytest

from evidence.demo import seed_evidence
from evidence.models import Reading
from tests.e2e.conftest import tab_to

pytestmark = pytest.mark.e2e


def test_a_juror_reads_an_item_by_keyboard_and_the_pack_shows_it_read(
    browse, client, jury, facilitator, juror
):
    seed_evidence(jury, facilitator)
    browsing = browse()
    browsing.sign_in_as(client, juror)
    page = browsing.page

    browsing.goto(f"/juries/{jury.slug}/evidence/")
    tab_to(page, page.get_by_role("link", name="How the score works"))
    browsing.press("Enter")
    tab_to(page, page.get_by_role("link", name="The department's proposal"))
    browsing.press("Enter")
    assert page.get_by_role("heading", name="In short").is_visible()
    tab_to(page, page.get_by_role("link", name="Back to “How the score works”"))
    browsing.press("Enter")

    assert Reading.objects.filter(user=juror).count() == 1
    assert (
        page.locator(".card", has_text="The department's proposal").get_by_text("Read").is_visible()
    )


def test_facilitator_evidence_pages_pass_axe(browse, client, jury, facilitator, juror):
    seed_evidence(jury, facilitator)
    pack = jury.evidence_packs.first()
    item = pack.items.first()
    browsing = browse()
    browsing.sign_in_as(client, facilitator)
    page = browsing.page

    browsing.goto(f"/juries/{jury.slug}/evidence/")
    browsing.goto(f"/juries/{jury.slug}/evidence/balance/")
    browsing.goto(f"/juries/{jury.slug}/evidence/system/")
    browsing.goto(f"/juries/{jury.slug}/evidence/glossary/")
    browsing.goto(f"/juries/{jury.slug}/evidence/search/?q=score")
    browsing.goto(f"/juries/{jury.slug}/evidence/search/?q=zebra")
    browsing.goto(f"/juries/{jury.slug}/evidence/witnesses/")
    browsing.goto(f"/juries/{jury.slug}/evidence/witnesses/new/")
    browsing.goto(f"/juries/{jury.slug}/evidence/requests/")
    browsing.goto(f"/juries/{jury.slug}/evidence/items/{item.pk}/")
    browsing.goto(f"/juries/{jury.slug}/evidence/packs/new/")
    browsing.goto(f"/juries/{jury.slug}/evidence/packs/{pack.pk}/items/{item.pk}/edit/")
    browsing.goto(f"/juries/{jury.slug}/evidence/packs/{pack.pk}/items/new/")
    page.get_by_label("Kind").select_option("media")
    page.get_by_role("button", name="Save the item").focus()
    browsing.press("Enter")
    assert page.get_by_role("heading", name="There is a problem").is_visible()


def test_public_evidence_pages_pass_axe(browse, jury, facilitator):
    jury.visibility = "public"
    jury.save()
    seed_evidence(jury, facilitator)
    item = jury.evidence_packs.first().items.first()
    browsing = browse()
    browsing.goto(f"/juries/{jury.slug}/evidence/public/")
    browsing.goto(f"/juries/{jury.slug}/evidence/public/{item.pk}/")
