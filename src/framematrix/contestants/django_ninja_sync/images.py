"""/images/{name}: the shipped image resized to `?width=`, in the request's own thread (a WSGI
worker has no event loop to keep free)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.errors import HttpError

from framematrix import images
from framematrix.contestants.django_ninja.params import Resize

router = Router(tags=["images"])


@router.get("/{name}")
def resize_image(request: HttpRequest, name: str, size: Query[Resize]) -> HttpResponse:
    if name not in images.IMAGES:
        raise HttpError(404, "No such image.")
    return HttpResponse(images.render(name, size.width), content_type=images.MEDIA_TYPE)
