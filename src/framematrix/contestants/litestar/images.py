"""/images/{name}: the shipped image resized to `?width=`.

A sync handler with `sync_to_thread=True`: Litestar runs it in its thread pool (AnyIO's worker
threads), so the CPU-bound Pillow work never blocks the event loop, as Litestar's docs advise
for blocking code.
"""

from __future__ import annotations

from litestar import Response, get
from litestar.exceptions import NotFoundException

from framematrix import images
from framematrix.contestants.litestar.params import Width


@get("/images/{name:str}", sync_to_thread=True, tags=["images"])
def resize_image(name: str, width: Width) -> Response[bytes]:
    try:
        data = images.render(name, width)
    except images.UnknownImage:
        raise NotFoundException("Image not found") from None
    return Response(data, media_type=images.MEDIA_TYPE)
