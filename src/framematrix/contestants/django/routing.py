"""WebSocket URLs (Channels' `routing.py`), the realtime counterpart of `urls.py`."""

from django.urls import path

from framematrix.contestants.django import consumers

websocket_urlpatterns = [
    path("ws/devices/<str:device_id>", consumers.DeviceConsumer.as_asgi()),
    path("ws/live", consumers.LiveConsumer.as_asgi()),
]
