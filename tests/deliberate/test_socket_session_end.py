"""A jury page's live socket lasts no longer than the sign-in it was opened under.

Each page here is opened with the session cookie of a real signed-in browser (Django's test
client), through the real ASGI application, database and channel layer (in memory by default;
Redis when REDIS_URL is set). Sign-in ends through the real pages where people end it."""

import asyncio

import pytest
from allauth.mfa.models import Authenticator
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from deliberate import consumers
from deliberate import threads as thread_service
from deliberate.asgi import application
from juries.models import User
from tests.conftest import sign_in_recently

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

WITHIN_A_SECOND = 1


@database_sync_to_async
def signed_in(user, *, expires_in=None):
    """A browser signed in as `user`, as if they had just entered an emailed code, that has
    opened a page."""
    browser = Client()
    sign_in_recently(browser, user)
    if expires_in is not None:
        session = browser.session
        session.set_expiry(expires_in)
        session.save()
    browser.get(reverse("juries:my-juries"))  # a page first: allauth then lists the device
    return browser


async def open_page(browser, slug):
    """The jury page's socket, opened with `browser`'s session cookie."""
    cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
    headers = [
        (b"origin", b"http://testserver"),
        (b"host", b"testserver"),
        (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()),
    ]
    page = WebsocketCommunicator(application, f"/ws/juries/{slug}/", headers=headers)
    accepted, _ = await page.connect(timeout=5)
    assert accepted
    return page


@database_sync_to_async
def post(thread, by, body):
    thread_service.add_post(thread=thread, body=body, by=by)


async def receives(page, body):
    frame = await page.receive_from(timeout=5)
    assert body in frame


async def assert_closed_at_once(page):
    output = await page.receive_output(timeout=WITHIN_A_SECOND)
    assert output["type"] == "websocket.close", output
    return output.get("code")


async def assert_nothing_more(page, thread, by):
    await post(thread, by, "Said after the page was closed.")
    assert await page.receive_nothing(timeout=0.5)


async def test_signing_out_closes_the_page_at_once_and_nothing_more_arrives(
    thread, juror, other_juror
):
    browser = await signed_in(juror)
    page = await open_page(browser, thread.jury.slug)
    await post(thread, other_juror, "Before signing out.")
    await receives(page, "Before signing out.")

    response = await database_sync_to_async(browser.post)(reverse("account_logout"))
    assert response.status_code == 302

    assert await assert_closed_at_once(page) == consumers.SIGNED_OUT
    await assert_nothing_more(page, thread, other_juror)


async def test_ending_a_session_from_another_device_closes_only_that_devices_page(
    thread, juror, other_juror
):
    laptop = await signed_in(juror)
    phone = await signed_in(juror)
    on_laptop = await open_page(laptop, thread.jury.slug)
    on_phone = await open_page(phone, thread.jury.slug)

    devices = await database_sync_to_async(phone.get)(reverse("usersessions_list"))
    assert devices.status_code == 200
    ended = await database_sync_to_async(phone.post)(reverse("usersessions_list"))
    assert ended.status_code == 302

    assert await assert_closed_at_once(on_laptop) == consumers.SIGNED_OUT
    await post(thread, other_juror, "Only the phone sees this.")
    await receives(on_phone, "Only the phone sees this.")
    assert await on_laptop.receive_nothing(timeout=0.5)
    await on_phone.disconnect()


@pytest.mark.parametrize("how", ["whole record", "only the field"])
async def test_deactivating_an_account_closes_its_pages_at_once(how, thread, juror, other_juror):
    page = await open_page(await signed_in(juror), thread.jury.slug)
    someone_else = await open_page(await signed_in(other_juror), thread.jury.slug)

    @database_sync_to_async
    def deactivate():  # as the admin's change form saves a person
        person = User.objects.get(pk=juror.pk)
        person.is_active = False
        person.save(update_fields=["is_active"] if how == "only the field" else None)

    await deactivate()
    assert await assert_closed_at_once(page) == consumers.SIGNED_OUT
    await assert_nothing_more(page, thread, other_juror)
    await receives(someone_else, "Said after the page was closed.")
    await someone_else.disconnect()


async def test_deleting_ones_account_closes_every_page_of_theirs(thread, juror, other_juror):
    browser = await signed_in(juror)
    first = await open_page(browser, thread.jury.slug)
    elsewhere = await open_page(await signed_in(juror), thread.jury.slug)

    response = await database_sync_to_async(browser.post)(
        reverse("juries:delete-account"), {"confirm": "on"}
    )
    assert response.status_code == 302

    await assert_closed_at_once(first)
    await assert_closed_at_once(elsewhere)
    await post(thread, other_juror, "Said after the account was deleted.")
    assert await first.receive_nothing(timeout=0.5)
    assert await elsewhere.receive_nothing(timeout=0.1)


async def test_a_facilitator_who_removes_their_authenticator_is_closed_out_when_it_is_required(
    settings, thread, facilitator, juror
):
    settings.REQUIRE_MFA_FOR_FACILITATORS = True
    await database_sync_to_async(Authenticator.objects.create)(
        user=facilitator, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    browser = await signed_in(facilitator)
    page = await open_page(browser, thread.jury.slug)

    response = await database_sync_to_async(browser.post)(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not await database_sync_to_async(Authenticator.objects.filter(user=facilitator).exists)()

    assert await assert_closed_at_once(page) == consumers.SIGNED_OUT
    await assert_nothing_more(page, thread, juror)


async def test_a_juror_who_removes_their_authenticator_keeps_their_page(
    settings, thread, juror, other_juror
):
    settings.REQUIRE_MFA_FOR_FACILITATORS = True
    await database_sync_to_async(Authenticator.objects.create)(
        user=juror, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    browser = await signed_in(juror)
    page = await open_page(browser, thread.jury.slug)

    await database_sync_to_async(browser.post)(reverse("mfa_deactivate_totp"))

    await post(thread, other_juror, "Still here.")
    await receives(page, "Still here.")
    await page.disconnect()


async def test_a_facilitator_without_a_second_factor_cannot_open_a_live_page_when_it_is_required(
    settings, thread, facilitator
):
    settings.REQUIRE_MFA_FOR_FACILITATORS = True
    browser = await signed_in(facilitator)
    cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
    page = WebsocketCommunicator(
        application,
        f"/ws/juries/{thread.jury.slug}/",
        headers=[
            (b"origin", b"http://testserver"),
            (b"host", b"testserver"),
            (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()),
        ],
    )
    accepted, _ = await page.connect(timeout=5)
    assert not accepted


async def test_nothing_arrives_after_the_session_expires_even_before_any_check(
    monkeypatch, thread, juror, other_juror
):
    monkeypatch.setattr(consumers._SignInWatch, "EVERY", 600)  # no periodic check in time
    page = await open_page(await signed_in(juror, expires_in=2), thread.jury.slug)
    await asyncio.sleep(2.2)  # the session runs out

    await post(thread, other_juror, "Said after the session expired.")
    output = await page.receive_output(timeout=5)
    assert output["type"] == "websocket.close", output
    assert output["code"] == consumers.SIGNED_OUT


async def test_an_idle_page_closes_when_its_session_expires(monkeypatch, thread, juror):
    monkeypatch.setattr(consumers._SignInWatch, "EVERY", 0.2)
    page = await open_page(await signed_in(juror, expires_in=2), thread.jury.slug)
    output = await page.receive_output(timeout=5)
    assert output["type"] == "websocket.close", output
    assert output["code"] == consumers.SIGNED_OUT


@pytest.mark.parametrize(
    "insider_sql",
    [
        f"DELETE FROM {Session._meta.db_table}",
        f"UPDATE {User._meta.db_table} SET is_active = FALSE",
    ],
    ids=["session removed", "account deactivated"],
)
async def test_a_change_made_without_telling_anyone_still_closes_the_page(
    insider_sql, monkeypatch, thread, juror, other_juror
):
    """No signal fires for a change made in SQL (or for a message Redis lost): the periodic check
    of the process's open pages closes them anyway."""
    monkeypatch.setattr(consumers._SignInWatch, "EVERY", 0.2)
    page = await open_page(await signed_in(juror), thread.jury.slug)

    @database_sync_to_async
    def change():
        with connection.cursor() as cursor:
            cursor.execute(insider_sql)

    await change()
    output = await page.receive_output(timeout=5)
    assert output["type"] == "websocket.close", output
    assert output["code"] == consumers.SIGNED_OUT
    await assert_nothing_more(page, thread, other_juror)


async def test_an_authenticator_removed_without_telling_anyone_still_closes_the_page(
    monkeypatch, settings, thread, facilitator, juror
):
    settings.REQUIRE_MFA_FOR_FACILITATORS = True
    monkeypatch.setattr(consumers._SignInWatch, "EVERY", 0.2)
    monkeypatch.setattr(consumers._SignInWatch, "MFA_EVERY", 0.2)
    await database_sync_to_async(Authenticator.objects.create)(
        user=facilitator, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    page = await open_page(await signed_in(facilitator), thread.jury.slug)

    @database_sync_to_async
    def remove_in_sql():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Authenticator._meta.db_table}")

    await remove_in_sql()
    output = await page.receive_output(timeout=5)
    assert output["type"] == "websocket.close", output
    assert output["code"] == consumers.SIGNED_OUT
    await assert_nothing_more(page, thread, juror)
