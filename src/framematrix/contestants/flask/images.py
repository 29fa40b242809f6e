"""The image blueprint: the shipped image resized to `?width=`, in the request's own thread
(a WSGI worker has no event loop to keep free)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from framematrix import images
from framematrix.contestants.flask.inputs import load
from framematrix.contestants.flask.schemas import image_query_schema

bp = Blueprint("images", __name__)


@bp.get("/images/<name>")
def resize_image(name: str) -> Response:
    if name not in images.IMAGES:
        abort(404, "No such image.")
    width = load(image_query_schema, request.args, "query")["width"]
    return Response(images.render(name, width), mimetype=images.MEDIA_TYPE)
