"""/images/{name}: the shipped image resized to `?width=`, off the event loop.

`sync_to_async(thread_sensitive=False)`, as Django's async docs advise for blocking work that
need not share the ORM's thread: the loop keeps serving while Pillow works.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.errors import HttpError

from framematrix import images
from framematrix.contestants.django_ninja.params import Resize

router = Router(tags=["images"])


@router.get("/{name}")
async def resize_image(request: HttpRequest, name: str, size: Query[Resize]) -> HttpResponse:
    if name not in images.IMAGES:
        raise HttpError(404, "No such image.")
    data = await sync_to_async(images.render, thread_sensitive=False)(name, size.width)
    return HttpResponse(data, content_type=images.MEDIA_TYPE)
