"""WebSocket routes. Every route here is wrapped by the origin check and the session
authentication in asgi.py; the consumer itself checks membership through the permissions module."""

from django.urls import path

from .consumers import JuryConsumer

websocket_urlpatterns = [
    path("ws/juries/<slug:slug>/", JuryConsumer.as_asgi()),
]
