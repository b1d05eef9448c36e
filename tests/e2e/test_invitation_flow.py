"""The invitation journey in a real browser, by keyboard alone, with axe-core on every page.

A facilitator signs in with an emailed code and their authenticator app, invites a new juror; the
juror opens the emailed link, creates an account and lands on the jury home; an outsider who signs
in sees none of the jury's pages.
"""

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.cache import cache

from juries.models import Membership, Role

from .conftest import code_in, last_mail_to, link_in, tab_to, type_into

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_JUROR = "sam@example.org"


def current_totp(secret):
    """The code the facilitator's authenticator app shows now, with time left to type it."""
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 5:  # allauth accepts only the current period's code
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def sign_in_with_emailed_code(browsing, email):
    page = browsing.page
    browsing.goto("/accounts/login/")
    type_into(page, page.locator("input[name=login]"), email)
    browsing.press("Enter")
    assert page.locator("input[name=code]").count() == 1, "expected the page asking for the code"
    type_into(page, page.locator("input[name=code]"), code_in(last_mail_to(email)))
    browsing.press("Enter")


def assert_signed_in(page):
    assert page.get_by_role("button", name="Sign out").is_visible()


def facilitator_signs_in_with_code_and_authenticator(browsing, facilitator, secret):
    page = browsing.page
    sign_in_with_emailed_code(browsing, facilitator.email)
    assert "/accounts/2fa/authenticate/" in page.url
    type_into(page, page.locator("input[name=code]"), current_totp(secret))
    browsing.press("Enter")
    assert_signed_in(page)


def facilitator_invites_a_juror(browsing, jury):
    page = browsing.page
    tab_to(page, page.get_by_role("link", name="Dashboard", exact=True))
    browsing.press("Enter")
    assert page.url.endswith(f"/juries/{jury.slug}/manage/")
    tab_to(page, page.get_by_role("link", name="Invite people").first)
    browsing.press("Enter")
    assert page.url.endswith(f"/juries/{jury.slug}/manage/invite/")
    type_into(page, page.get_by_role("textbox", name="Email address", exact=True), NEW_JUROR)
    # The role stays at its default, juror; Enter in the address field sends the invitation.
    browsing.press("Enter")
    assert page.url.endswith(f"/juries/{jury.slug}/manage/")
    assert page.get_by_text(f"Invitation sent to {NEW_JUROR}.").is_visible()


def invited_person_creates_an_account(browsing, jury):
    page = browsing.page
    browsing.goto(link_in(last_mail_to(NEW_JUROR)))
    tab_to(page, page.get_by_role("link", name="Create your account"))
    browsing.press("Enter")
    assert "/accounts/signup/" in page.url
    assert page.locator("input[name=email]").input_value() == NEW_JUROR
    type_into(page, page.get_by_label("Display name"), "Sam")
    tab_to(page, page.locator("form button[type=submit]").last)
    browsing.press("Enter")
    type_into(page, page.locator("input[name=code]"), code_in(last_mail_to(NEW_JUROR)))
    browsing.press("Enter")
    assert page.url.endswith(f"/juries/{jury.slug}/home/")
    assert page.get_by_role("heading", name="What to do next").is_visible()
    assert_signed_in(page)


def test_a_facilitator_invites_a_juror_who_joins_and_an_outsider_sees_nothing(
    browse, settings, live_server, jury, facilitator, outsider
):
    settings.REQUIRE_MFA_FOR_FACILITATORS = True
    settings.SITE_URL = live_server.url  # emailed links point at the site's address
    cache.clear()  # allauth's rate limits and used TOTP codes live in the cache
    secret = generate_totp_secret()
    TOTP.activate(facilitator, secret)

    facilitator_browsing = browse()
    facilitator_signs_in_with_code_and_authenticator(facilitator_browsing, facilitator, secret)
    facilitator_invites_a_juror(facilitator_browsing, jury)

    invitee_browsing = browse()
    invited_person_creates_an_account(invitee_browsing, jury)
    membership = Membership.objects.get(jury=jury, user__email=NEW_JUROR)
    assert membership.role == Role.JUROR

    outsider_browsing = browse()
    sign_in_with_emailed_code(outsider_browsing, outsider.email)
    assert_signed_in(outsider_browsing.page)
    for path in ("home/", "manage/", "sittings/", "audit/"):
        outsider_browsing.goto(f"/juries/{jury.slug}/{path}", status=404)
        assert outsider_browsing.page.get_by_role("heading", name="Page not found").is_visible()

    checked = facilitator_browsing.checked + invitee_browsing.checked + outsider_browsing.checked
    print("axe-core checked:", *checked, sep="\n  ")
