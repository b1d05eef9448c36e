"""Helpers for the deliberation suites: a jury that is deliberating, a thread, a sitting and its
live room, and WebSocket connections made through the real ASGI application (origin check,
session cookie, routing)."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.utils import timezone

from deliberate import room as room_service
from deliberate import threads as thread_service
from deliberate.asgi import application
from juries.models import AgendaItem, Sitting, Stage


@pytest.fixture
def deliberating(jury):
    jury.stage = Stage.DELIBERATION
    jury.save(update_fields=["stage"])
    return jury


@pytest.fixture
def thread(deliberating, facilitator):
    return thread_service.start_thread(
        jury=deliberating, title="Who checks the scores?", body="Let us begin.", by=facilitator
    )


@pytest.fixture
def sitting(deliberating):
    sitting = Sitting.objects.create(
        jury=deliberating,
        title="First sitting",
        starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(hours=2),
    )
    AgendaItem.objects.create(sitting=sitting, title="Welcome", position=1, planned_minutes=10)
    AgendaItem.objects.create(sitting=sitting, title="Error rates", position=2, planned_minutes=20)
    return sitting


@pytest.fixture
def room(sitting):
    return room_service.room_for(sitting)


def session_cookie(user):
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


async def connect(user, slug, *, after=None, sitting=None, origin="http://testserver"):
    """Open the jury page's socket as `user` (None: anonymous). Returns (communicator, accepted,
    close code)."""
    query = []
    if after is not None:
        query.append(f"after={after}")
    if sitting is not None:
        query.append(f"sitting={sitting}")
    path = f"/ws/juries/{slug}/" + ("?" + "&".join(query) if query else "")
    headers = [(b"origin", origin.encode()), (b"host", b"testserver")]
    if user is not None:
        cookie = await database_sync_to_async(session_cookie)(user)
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    accepted, code = await communicator.connect(timeout=5)
    return communicator, accepted, code


def seq_of(frame):
    """The event number at the start of a pushed frame."""
    assert frame.startswith("<!--ev "), frame[:80]
    return int(frame.split()[1])
