"""The image view: the shipped image resized to `?width=`, in the request's own thread.

A DRF function view, so a bad width or name is answered by the EXCEPTION_HANDLER like every
other error; the image itself is a plain `HttpResponse`, which DRF passes through unrendered.
"""

from __future__ import annotations

from django.http import HttpResponse
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from framematrix import images
from framematrix.contestants.django.exceptions import InvalidQuery
from framematrix.contestants.django.pagination import query_int


@api_view(["GET"])
def resize_image(request: Request, name: str) -> HttpResponse:
    if name not in images.IMAGES:
        raise NotFound("No such image.")
    if "width" not in request.query_params:
        raise InvalidQuery({"width": ["This field is required."]})
    width = query_int(request, "width", 0, images.MIN_WIDTH, images.MAX_WIDTH)
    return HttpResponse(images.render(name, width), content_type=images.MEDIA_TYPE)
