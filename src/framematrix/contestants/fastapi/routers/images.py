"""/images/{name}: the shipped image resized to `?width=`.

A plain `def` path operation: FastAPI runs it in its thread pool (AnyIO's worker threads), so
the CPU-bound Pillow work never blocks the event loop, as FastAPI's "async def or def" docs
advise for blocking code.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response

from framematrix import images
from framematrix.contestants.fastapi.params import Width

router = APIRouter(prefix="/images", tags=["images"])


@router.get(
    "/{name}",
    response_class=Response,
    responses={200: {"content": {images.MEDIA_TYPE: {}}, "description": "The resized image."}},
)
def resize_image(name: str, width: Width) -> Response:
    try:
        data = images.render(name, width)
    except images.UnknownImage:
        raise HTTPException(status_code=404, detail="Image not found") from None
    return Response(content=data, media_type=images.MEDIA_TYPE)
