"""The configured database, channel layer and cache really work: SQLite, in memory and local
memory by default; PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set (CI runs both)."""

import os
import subprocess
import sys

from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection


def test_database_is_the_one_the_environment_names(db):
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected


def test_channel_layer_is_redis_when_redis_url_is_set():
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert "channels_redis" in backend
    else:
        assert backend == "channels.layers.InMemoryChannelLayer"


async def test_a_message_sent_to_a_group_reaches_its_member():
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("jury-infrastructure-check", channel)
    try:
        await layer.group_send("jury-infrastructure-check", {"type": "jury.event", "id": 7})
        message = await layer.receive(channel)
    finally:
        await layer.group_discard("jury-infrastructure-check", channel)
    assert message == {"type": "jury.event", "id": 7}


def test_the_cache_that_rate_limits_use_stores_and_returns_values():
    cache.set("infrastructure-check", "ok", 30)
    assert cache.get("infrastructure-check") == "ok"
    cache.delete("infrastructure-check")
    if os.environ.get("REDIS_URL"):
        assert "RedisCache" in settings.CACHES["default"]["BACKEND"]


def import_settings(code="import deliberate.settings", **changes):
    """Run `code` in a fresh process with the environment changed."""
    env = {k: v for k, v in os.environ.items() if k not in changes}
    env.update({k: v for k, v in changes.items() if v is not None})
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_the_server_refuses_to_start_without_a_secret_key():
    result = import_settings(
        "import deliberate.asgi", SECRET_KEY=None, DEBUG=None, DELIBERATE_DEMO=None
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_without_a_secret_key_nothing_can_be_signed():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'deliberate.settings'; "
        "django.setup(); from django.core import signing; signing.dumps('x')"
    )
    result = import_settings(code, SECRET_KEY=None, DEBUG=None, DELIBERATE_DEMO=None)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_demo_mode_refuses_to_start_without_debug():
    result = import_settings(DELIBERATE_DEMO="1", DEBUG="0")
    assert result.returncode != 0
    assert "needs DEBUG=1" in result.stderr


def test_check_deploy_reports_no_issues_with_production_settings():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DELIBERATE_DEMO", "SECURE_SSL_REDIRECT", "SECURE_COOKIES"}
    }
    env.update(
        SECRET_KEY="x" * 20 + "a-long-and-random-production-secret-key-value",
        ALLOWED_HOSTS="deliberate.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_with_redis_away_the_cache_finds_nothing_and_sign_in_still_works(client, settings, db):
    """Nothing listens on the port: reading finds nothing, writing does nothing, no page fails."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "deliberate.cache.ForgivingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    away = caches["default"]  # rebuilt from the settings above
    away.set("k", "v", 30)
    assert away.get("k", "nothing") == "nothing"
    assert away.add("k", "v") is True  # locks built on add() let people through
    assert away.get_many(["k"]) == {}
    response = client.post("/accounts/login/", {"login": "someone@example.org"})
    assert response.status_code in (200, 302)
