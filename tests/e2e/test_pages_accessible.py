"""Every page each persona can reach passes axe-core, and the busiest pages fit a 320 px screen.

Signing in is not under test here: each persona is logged in through Django's test client and the
session cookie is handed to the browser.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from evidence import packs
from evidence.models import EvidencePack
from juries import invitations
from juries.models import (
    AgendaItem,
    Announcement,
    Membership,
    Recruitment,
    RecruitmentState,
    Role,
    Sitting,
)

from .layout import NARROW, TOO_WIDE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def busy_jury(jury, personas):
    """The jury, public, with sittings, invitations and an audit trail, so pages are not empty."""
    jury.visibility = "public"
    jury.help_contact = "Call 0800 000 000 or write to help@example.org"
    jury.save()
    Membership.objects.filter(jury=jury, user=personas["juror"]).update(show_name_publicly=True)
    now = timezone.now()
    sitting = Sitting.objects.create(
        jury=jury,
        title="Meeting the people who built the score",
        description="Questions to the supplier and to the department.",
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=2),
        video_url="https://meet.example.org/fraud-scores",
    )
    AgendaItem.objects.create(sitting=sitting, position=1, title="Welcome", planned_minutes=10)
    AgendaItem.objects.create(sitting=sitting, position=2, title="Questions", planned_minutes=60)
    Sitting.objects.create(
        jury=jury,
        title="Getting to know each other",
        starts_at=now - timedelta(days=5),
        ends_at=now - timedelta(days=5, hours=-1),
    )
    Sitting.objects.create(
        jury=jury,
        title="A visit to the benefits office",
        starts_at=now + timedelta(days=9),
        ends_at=now + timedelta(days=9, hours=3),
        cancelled_at=now,
    )
    facilitator = personas["facilitator"]
    invitations.invite(jury=jury, email="pat@example.org", role=Role.JUROR, by=facilitator)
    withdrawn = invitations.invite(
        jury=jury,
        email="a.very.long.address.for.testing@example.org",
        role=Role.WITNESS,
        by=facilitator,
    )
    invitations.revoke(invitation=withdrawn, by=facilitator)
    Announcement.objects.create(
        jury=jury,
        title="The second sitting starts at 6.30pm",
        text="We moved it by half an hour.\nTea from 6pm.",
        author=facilitator,
    )
    # News on "What's new" for jurors, witnesses and observers (others see its empty state).
    pack = EvidencePack.objects.create(jury=jury, title="How the score is made")
    packs.set_published(pack=pack, published=True, by=facilitator)
    return jury, sitting


def jury_pages(slug, sitting, role):
    base = f"/juries/{slug}"
    pages = [
        f"{base}/home/",
        f"{base}/sittings/",
        f"{base}/sittings/{sitting.pk}/",
        f"{base}/announcements/",
        f"{base}/emails/",
    ]
    cancelled = Sitting.with_cancelled.get(jury__slug=slug, cancelled_at__isnull=False)
    pages.append(f"{base}/sittings/{cancelled.pk}/")
    if role in (Role.FACILITATOR, Role.OBSERVER, Role.EVALUATOR):
        pages += [f"{base}/manage/", f"{base}/audit/", f"{base}/evaluation/results/"]
    if role == Role.FACILITATOR:
        pages += [
            f"{base}/manage/invite/",
            f"{base}/announcements/new/",
            f"{base}/manage/details/",
            f"{base}/manage/timeline/",
            f"{base}/sittings/new/",
            f"{base}/sittings/{sitting.pk}/edit/",
            f"{base}/sittings/{sitting.pk}/cancel/",
        ]
    if role == Role.JUROR:
        pages.append(f"{base}/my-name/")
    return pages


ACCOUNT_PAGES = [
    "/mine/?all=1",
    "/whats-new/",
    "/account/",
    "/account/delete/",
    "/accounts/email/",
    "/accounts/2fa/",
    "/accounts/sessions/",
]


@pytest.mark.parametrize(
    "persona", ["facilitator", "juror", "witness", "observer", "oversight", "evaluator"]
)
def test_every_page_a_member_can_reach_passes_axe(
    browse, client, busy_jury, personas, evaluator, persona
):
    jury, sitting = busy_jury
    user = {**personas, "evaluator": evaluator}[persona]
    role = Membership.objects.get(jury=jury, user=user).role
    browsing = browse()
    browsing.sign_in_as(client, user)

    for path in [
        "/",
        f"/juries/{jury.slug}/",
        *jury_pages(jury.slug, sitting, role),
        *ACCOUNT_PAGES,
    ]:
        browsing.goto(path)

    assert len(browsing.checked) >= 11


def test_the_pages_a_visitor_can_reach_pass_axe(browse, busy_jury, make_jury):
    jury, _sitting = busy_jury
    # A second public jury, recruiting, so the home page shows its invitation to volunteer.
    recruiting = make_jury(slug="housing", visibility="public", stage="selection")
    Recruitment.objects.create(jury=recruiting, state=RecruitmentState.OPEN)
    browsing = browse()

    browsing.goto("/")
    browsing.goto(f"/juries/{jury.slug}/")
    browsing.goto("/accounts/login/")
    browsing.goto("/accounts/login/code/")
    # Without an invitation, signing up is closed, and the page says so.
    browsing.goto("/accounts/signup/")
    # A member page sends the visitor to sign in first.
    browsing.goto(f"/juries/{jury.slug}/home/")
    assert "/accounts/login/" in browsing.page.url


def test_confirming_a_new_address_staff_asked_for_passes_axe(
    browse, busy_jury, personas, mailoutbox
):
    from juries import addresses
    from tests.conftest import make_user

    admin = make_user("admin@example.org", "Admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    addresses.request_email_change(user=personas["juror"], new_email="jo.new@example.org", by=admin)
    link = re.search(r"/account/confirm-address/\S+/", mailoutbox[-1].body).group(0)
    browsing = browse()

    browsing.goto(link)
    submit(browsing, browsing.page.get_by_role("button", name="Yes, change my address"))
    # Used once, the link says so.
    browsing.goto(link, status=410)
    browsing.goto("/account/confirm-address/not-a-link/", status=400)


def test_a_facilitator_setting_up_an_authenticator_app_sees_accessible_pages(
    browse, client, busy_jury, facilitator
):
    browsing = browse()
    browsing.sign_in_as(client, facilitator)

    browsing.goto("/accounts/2fa/totp/activate/")

    assert browsing.page.get_by_role("img").count() >= 1


def submit(browsing, button, status=200):
    button.focus()
    return browsing.press("Enter", status=status)


def test_forms_showing_errors_pass_axe(browse, client, busy_jury, facilitator):
    jury, _sitting = busy_jury
    browsing = browse()
    browsing.sign_in_as(client, facilitator)
    page = browsing.page

    browsing.goto(f"/juries/{jury.slug}/manage/invite/")
    page.get_by_label("Email addresses").fill(
        "not-an-address\nkim@example.org, astronaut\nnew.person@example.org\n"
    )
    submit(browsing, page.get_by_role("button", name="Send the invitations"))
    assert page.get_by_text("2 lines could not be used").is_visible()
    # The unusable lines are offered again for correction; empty the box to see the error.
    assert "kim@example.org, astronaut" in page.get_by_label("Email addresses").input_value()
    page.get_by_label("Email addresses").fill("")

    submit(browsing, page.get_by_role("button", name="Send the invitations"))
    assert page.get_by_role("heading", name="There is a problem").is_visible()

    submit(browsing, page.get_by_role("button", name="Send the invitation", exact=True))
    assert page.get_by_role("heading", name="There is a problem").is_visible()

    browsing.goto(f"/juries/{jury.slug}/sittings/new/")
    submit(browsing, page.locator("main form button[type=submit]"))
    assert page.get_by_role("heading", name="There is a problem").is_visible()

    browsing.goto(f"/juries/{jury.slug}/manage/timeline/")
    page.locator("input[type=date]").nth(0).fill("2030-05-10")
    page.locator("input[type=date]").nth(1).fill("2030-05-01")
    submit(browsing, page.locator("main form button[type=submit]"))
    assert page.get_by_role("heading", name="There is a problem").is_visible()

    browsing.goto("/account/")
    page.get_by_label("Display name").fill("")
    submit(browsing, page.get_by_role("button", name="Save my details"))
    assert page.get_by_role("heading", name="There is a problem").is_visible()

    browsing.goto("/account/delete/")
    submit(browsing, page.locator("main form button[type=submit]"))
    assert page.get_by_role("heading", name="There is a problem").is_visible()


@pytest.mark.parametrize("persona", ["facilitator", "juror", "witness", "observer", "oversight"])
def test_the_jury_home_and_dashboard_fit_a_320_pixel_screen(
    browse, client, busy_jury, personas, persona
):
    jury, _sitting = busy_jury
    user = personas[persona]
    role = Membership.objects.get(jury=jury, user=user).role
    browsing = browse(viewport=NARROW)
    browsing.sign_in_as(client, user)

    pages = [f"/juries/{jury.slug}/home/"]
    if role in (Role.FACILITATOR, Role.OBSERVER):
        pages.append(f"/juries/{jury.slug}/manage/")
    for path in pages:
        browsing.goto(path)
        width = browsing.page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= NARROW["width"], (
            f"{path} scrolls sideways at 320 px: {width} px wide; too wide: "
            f"{browsing.page.evaluate(TOO_WIDE, NARROW['width'])}"
        )
