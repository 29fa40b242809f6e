"""The ASGI application for the realtime side, as Channels' docs lay it out: a
`ProtocolTypeRouter` sending HTTP to Django and WebSockets to the consumers of `routing.py`.

The HTTP API keeps running as WSGI under gunicorn for the HTTP scenarios; this application serves
it too (the server's `/health` check reaches Django through it).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "framematrix.contestants.django.settings")
django_asgi_app = get_asgi_application()  # set Django up before the consumers import models

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from framematrix.contestants.django import routing  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": URLRouter(routing.websocket_urlpatterns),
    }
)
