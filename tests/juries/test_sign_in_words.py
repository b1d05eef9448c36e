"""Signing in speaks Deliberate's words, through the real allauth flow: the page that asks for the
emailed code, and every email it sends, with the code on its own line, how long it lasts and what
to do if you did not ask for it."""

import html
import re

import pytest
from django.urls import reverse

from juries.models import Invitation, Role

# Each test asks for codes; allauth counts them against the test client's address in the cache.
pytestmark = pytest.mark.usefixtures("fresh_rate_limits")

CODE_LINE = re.compile(r"^ {4}([A-Z0-9]{4,8}(?:-[A-Z0-9]{3,8})?)$", re.MULTILINE)
ALLAUTH_WORDS = ("Hello from", "Thank you for using", "listed below", "Sign-In Code")


def text_of(page):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def assert_our_frame(message):
    assert message.body.startswith("Hello,")
    assert "We never ask for a password" in message.body
    for words in ALLAUTH_WORDS:
        assert words not in message.body and words not in message.subject


def test_the_code_page_and_the_code_email_are_ours(client, juror, mailoutbox):
    response = client.post(reverse("account_login"), {"login": juror.email}, follow=True)

    page = text_of(response.content.decode())
    assert "Enter your sign-in code" in page
    assert f"We send it to {juror.email}" in page
    assert "The code works for 10 minutes" in page
    assert "Send me a new code" in page
    assert "Enter Sign-In Code" not in page and "We've sent a code" not in page
    assert 'autocomplete="one-time-code"' in response.content.decode()

    (message,) = mailoutbox
    assert message.subject == "[Deliberate] Your sign-in code"
    assert_our_frame(message)
    assert CODE_LINE.search(message.body)
    assert "It works once, for 10 minutes" in message.body
    assert "Did you not ask for a code?" in message.body


def test_a_wrong_code_is_explained_in_the_error_summary(client, juror, mailoutbox):
    step = client.post(reverse("account_login"), {"login": juror.email})
    response = client.post(step.url, {"code": "WRONG-1"})
    page = text_of(response.content.decode())
    assert "There is a problem" in page
    assert "That code is not right" in page


def test_an_address_without_an_account_gets_our_email(client, db, mailoutbox):
    client.post(reverse("account_login"), {"login": "nobody@example.org"})
    (message,) = mailoutbox
    assert message.subject == "[Deliberate] Signing in to Deliberate"
    assert_our_frame(message)
    assert "If this was not you, you can ignore this email." in message.body


@pytest.fixture
def invitation(jury, facilitator):
    return Invitation.objects.create(
        jury=jury, email="newcomer@example.org", role=Role.JUROR, invited_by=facilitator
    )


def test_creating_an_account_sends_our_confirmation_code_and_page(client, invitation, mailoutbox):
    client.get(invitation.get_absolute_url())
    response = client.post(
        reverse("account_signup"),
        {"email": invitation.email, "display_name": "Newcomer"},
        follow=True,
    )
    page = text_of(response.content.decode())
    assert "Confirm your email address" in page
    assert "The code works for 15 minutes" in page

    (message,) = mailoutbox
    assert message.subject == "[Deliberate] Your code to create your account"
    assert_our_frame(message)
    assert CODE_LINE.search(message.body)
    assert "no account is made without this code" in message.body


def test_signing_up_again_with_a_known_address_sends_our_email(
    client, jury, facilitator, juror, mailoutbox
):
    invitation = Invitation.objects.create(
        jury=jury, email=juror.email, role=Role.JUROR, invited_by=facilitator
    )
    client.get(invitation.get_absolute_url())
    client.post(reverse("account_signup"), {"email": juror.email, "display_name": "Jo again"})
    (message,) = mailoutbox
    assert message.subject == "[Deliberate] You already have an account"
    assert_our_frame(message)
    assert reverse("account_login") in message.body


def test_confirming_it_is_you_asks_for_a_code_in_our_words(client, juror, mailoutbox):
    client.force_login(juror)
    asking = text_of(client.get(reverse("account_request_reauthentication_code")).content.decode())
    assert f"We will send it to {juror.email}" in asking

    response = client.post(
        reverse("account_request_reauthentication_code"), {"recipient": juror.email}, follow=True
    )
    page = text_of(response.content.decode())
    assert "Confirm it is you" in page
    assert "The code works for 10 minutes" in page
    (message,) = mailoutbox
    assert message.subject == "[Deliberate] Your code to confirm it is you"
    assert_our_frame(message)
    assert CODE_LINE.search(message.body)


def test_signing_out_asks_in_our_words(client, juror):
    client.force_login(juror)
    page = text_of(client.get(reverse("account_logout")).content.decode())
    assert "Do you want to sign out of Deliberate on this device?" in page
    assert "Are you sure you want to sign out?" not in page
