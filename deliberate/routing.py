"""WebSocket routes. The live room's consumer arrives with the deliberation issue; every route
here is wrapped by the origin check and the session authentication in asgi.py."""

websocket_urlpatterns = []
