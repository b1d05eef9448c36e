"""Limits that count people, not the proxy.

The README's deployment puts a reverse proxy in front of daphne. These tests start a real daphne
with the README's flags and settings and send it what that proxy sends (X-Forwarded-For set to
the client's address, X-Forwarded-Proto), from 127.0.0.1 as the proxy would. Without the proxy
settings every request would seem to come from 127.0.0.1 and a handful of people would use up
the limits of everybody.
"""

import http.client
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.urls import reverse

from juries.checks import check_proxy_gives_client_addresses
from juries.ratelimits import client_address
from tests.live_servers import DaphneServer, LiveStack, missing_binaries

README = Path(__file__).resolve().parents[2] / "README.md"

# What "Running it in production" says to run and set behind one proxy.
DAPHNE_FLAGS = ("--proxy-headers",)
PROXY_SETTINGS = {"TRUSTED_PROXY_COUNT": "1"}
PER_ADDRESS = 3
PER_EMAIL = 2

NETWORK_LIMITED = "Too many registrations have come from your network"
EMAIL_LIMITED = "This email address has been used to register too many times"


class ProxiedStack(LiveStack):
    """One daphne started as the README says, its own database and Redis, and a jury whose
    recruitment is open."""

    def __init__(self):
        super().__init__(servers=0)
        self.env.update(
            PROXY_SETTINGS,
            SECURE_SSL_REDIRECT="1",
            VOLUNTEER_REGISTRATIONS_PER_HOUR=str(PER_ADDRESS),
            VOLUNTEER_REGISTRATIONS_PER_EMAIL_PER_HOUR=str(PER_EMAIL),
        )
        self.servers = [
            DaphneServer(self.work / "daphne.log", "daphne", self.env, options=DAPHNE_FLAGS)
        ]

    def start(self):
        self.database.create()
        self.django("migrate", manage=True)
        self.redis.start()
        self.seed = self.django("recruiting")
        self.servers[0].start()

    def send(self, path, *, client, form=None, proto="https"):
        """A request as the proxy forwards it from `client`; returns (status, Location, page)."""
        port = self.servers[0].port
        headers = {"X-Forwarded-For": client, "X-Forwarded-Proto": proto}
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.csrf})
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"{self.seed['csrf_cookie']}={self.csrf}",
                    "Referer": f"https://127.0.0.1:{port}{path}",
                }
            )
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("POST" if form is not None else "GET", path, body, headers)
            response = connection.getresponse()
            page = response.read().decode()
            return response.status, response.getheader("Location") or "", page
        finally:
            connection.close()

    def register(self, *, client, email, name="Sam Taylor"):
        form = {
            "name": name,
            "email": email,
            "access_needs": "",
            "consent": "on",
            "website": "",
            **self.seed["answers"],
        }
        return self.send(self.register_path, client=client, form=form)

    @property
    def register_path(self):
        return reverse("juries:volunteer-register", args=[self.seed["slug"]])

    def ask_for_sign_in_code(self, *, client, email):
        return self.send(
            reverse("account_request_login_code"), client=client, form={"email": email}
        )


@pytest.fixture(scope="module")
def proxied():
    why = missing_binaries()
    if why:
        pytest.skip(why)
    with ProxiedStack() as stack:
        yield stack


def accepted(result):
    status, location, _ = result
    return status == 302 and "sent=1" in location


def test_the_readme_shows_the_proxy_configuration_these_tests_use():
    readme = README.read_text()
    deployment = readme[readme.index("## Running it in production") :]

    assert "daphne --proxy-headers" in deployment
    assert "TRUSTED_PROXY_COUNT=1" in deployment
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in deployment
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in deployment
    for name in ("TRUSTED_PROXY_COUNT", "TRUSTED_CLIENT_IP_HEADER", "SECURE_PROXY_SSL_HEADER"):
        assert f"| `{name}` |" in readme, f"{name} is missing from the configuration table"


def test_ten_people_registering_from_ten_addresses_are_all_accepted(proxied):
    results = [
        proxied.register(client=f"203.0.113.{n}", email=f"person{n}@live.test")
        for n in range(1, 11)
    ]

    assert [accepted(result) for result in results] == [True] * 10, [r[:2] for r in results]


def test_one_address_is_limited_while_people_elsewhere_still_register(proxied):
    busy = "198.51.100.7"
    for n in range(PER_ADDRESS):
        assert accepted(proxied.register(client=busy, email=f"busy{n}@live.test"))

    status, _, page = proxied.register(client=busy, email="busy-more@live.test", name="Kim Lee")
    elsewhere = proxied.register(client="198.51.100.8", email="elsewhere@live.test")

    assert status == 429
    assert NETWORK_LIMITED in page
    assert 'value="Kim Lee"' in page and 'value="busy-more@live.test"' in page
    assert accepted(elsewhere)


def test_an_address_the_client_wrote_into_x_forwarded_for_does_not_escape_the_limit(proxied):
    # A client may send its own X-Forwarded-For; a proxy that adds to it rather than replacing it
    # puts the real address last, and only the last entry is believed behind one proxy.
    results = [
        proxied.register(client=f"10.0.0.{n}, 198.51.100.9", email=f"forger{n}@live.test")
        for n in range(PER_ADDRESS + 1)
    ]

    assert [accepted(result) for result in results] == [True] * PER_ADDRESS + [False]
    assert NETWORK_LIMITED in results[-1][2]


def test_one_email_address_is_limited_whichever_address_it_comes_from(proxied):
    email = "often@live.test"
    for n in range(PER_EMAIL):
        assert accepted(proxied.register(client=f"192.0.2.{n + 1}", email=email))

    status, _, page = proxied.register(client="192.0.2.50", email=email, name="Ola Berg")

    assert status == 429
    assert EMAIL_LIMITED in page
    assert 'value="Ola Berg"' in page and f'value="{email}"' in page
    assert accepted(proxied.register(client="192.0.2.50", email="someone-else@live.test"))


def test_a_juror_can_ask_for_a_sign_in_code_while_another_address_is_limited(proxied):
    # allauth allows 20 requests for a code a minute from one address.
    flooding = "192.0.2.66"
    results = [
        proxied.ask_for_sign_in_code(client=flooding, email=f"stranger{n}@live.test")
        for n in range(21)
    ]
    assert all(status == 302 for status, _, _ in results[:20])
    assert results[20][0] != 302, "the flooding address was not limited"

    status, location, _ = proxied.ask_for_sign_in_code(
        client="192.0.2.77", email=proxied.seed["juror"]
    )

    assert status == 302 and location.endswith(reverse("account_confirm_login_code"))


def test_a_request_the_proxy_received_over_plain_http_is_sent_to_https(proxied):
    plain = proxied.send(proxied.register_path, client="192.0.2.90", proto="http")
    secure = proxied.send(proxied.register_path, client="192.0.2.90", proto="https")

    assert plain[0] == 301 and plain[1].startswith("https://")
    assert secure[0] == 200


# --- the client address, as the limits read it ----------------------------------------------


def request_from(remote, **headers):
    return RequestFactory().post("/", REMOTE_ADDR=remote, **headers)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=0, ALLAUTH_TRUSTED_CLIENT_IP_HEADER=None)
def test_without_a_trusted_proxy_x_forwarded_for_is_not_believed():
    request = request_from("198.51.100.20", HTTP_X_FORWARDED_FOR="203.0.113.1")

    assert client_address(request) == "198.51.100.20"


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_added_is_the_client():
    request = request_from("127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.1")

    assert client_address(request) == "203.0.113.1"


@override_settings(ALLAUTH_TRUSTED_CLIENT_IP_HEADER="X-Real-IP")
def test_a_proxy_may_name_the_client_in_a_header_of_its_own():
    request = request_from("127.0.0.1", HTTP_X_REAL_IP="203.0.113.2")

    assert client_address(request) == "203.0.113.2"


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_addresses_in_one_ipv6_network_count_as_one():
    one = request_from("127.0.0.1", HTTP_X_FORWARDED_FOR="2001:db8:1:2::10")
    other = request_from("127.0.0.1", HTTP_X_FORWARDED_FOR="2001:db8:1:2:ffff::1")

    assert client_address(one) == client_address(other) == "2001:db8:1:2::"


# --- the system check ---------------------------------------------------------------------------


@override_settings(
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    ALLAUTH_TRUSTED_PROXY_COUNT=0,
    ALLAUTH_TRUSTED_CLIENT_IP_HEADER=None,
)
def test_the_check_fails_when_the_proxy_is_trusted_for_https_but_not_for_addresses():
    assert [error.id for error in check_proxy_gives_client_addresses()] == ["juries.E001"]


@pytest.mark.parametrize(
    "configured",
    [
        {"SECURE_PROXY_SSL_HEADER": None, "ALLAUTH_TRUSTED_PROXY_COUNT": 0},
        {
            "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
            "ALLAUTH_TRUSTED_PROXY_COUNT": 1,
        },
        {
            "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
            "ALLAUTH_TRUSTED_PROXY_COUNT": 0,
            "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP",
        },
    ],
    ids=["no proxy", "one proxy", "proxy header"],
)
def test_the_check_passes_with_no_proxy_or_a_fully_configured_one(configured):
    with override_settings(**{"ALLAUTH_TRUSTED_CLIENT_IP_HEADER": None, **configured}):
        assert check_proxy_gives_client_addresses() == []


PRODUCTION_UNSET = {
    *("DEBUG", "DELIBERATE_DEMO", "SECURE_SSL_REDIRECT", "SECURE_COOKIES"),
    *("TRUSTED_PROXY_COUNT", "TRUSTED_CLIENT_IP_HEADER", "SECURE_PROXY_SSL_HEADER"),
}


def check_deploy(**environment):
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION_UNSET}
    env.update(
        SECRET_KEY="x" * 20 + "a-long-and-random-production-secret-key-value",
        ALLOWED_HOSTS="deliberate.example.org",
        **environment,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_check_deploy_passes_with_the_readme_proxy_settings():
    result = check_deploy(**PROXY_SETTINGS)

    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_when_only_https_is_taken_from_the_proxy():
    result = check_deploy(SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")

    assert result.returncode != 0
    assert "juries.E001" in result.stdout + result.stderr
