"""The two endpoints beyond the blog, as data for the shells: a profile and an image.

`GET /authors/{id}/profile` is one SQL step whose rows become a `Fetch` (the upstream call the
shell makes with its own client, blocking or awaited); `GET /images/{name}?width=W` is a
`Render` (the CPU work the shell runs where its model allows: in the request's thread, or in a
thread pool off the event loop). Validation and response shaping live here once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from framematrix import images
from framematrix.contestants.raw_core import validate
from framematrix.contestants.raw_core.response import NOT_FOUND, Response, encode, error, invalid
from framematrix.upstream.calls import UpstreamFailed

Row = Sequence[Any]
_WIDTH = frozenset({"width"})
_WIDTH_RULE = f"must be an integer from {images.MIN_WIDTH} to {images.MAX_WIDTH}"


class Fetch:
    """The upstream request for an author that exists, and how to answer with its profile."""

    __slots__ = ("author", "author_id")

    def __init__(self, row: Row) -> None:
        self.author_id: int = row[0]
        self.author = {"id": row[0], "name": row[1], "email": row[2]}

    def answer(self, profile: dict[str, Any]) -> Response:
        return Response(200, encode({"author": self.author, "profile": profile}))


def fetch_or_404(rows: list[Row]) -> Response | Fetch:
    """Rule 26: an unknown author is 404, and the upstream is never called for it."""
    return Fetch(rows[0]) if rows else NOT_FOUND


def upstream_failed(failure: UpstreamFailed) -> Response:
    """Rules 28-29: 502 or 504 with `detail`."""
    return error(failure.status, failure.detail)


class Render:
    """Resize the named image to `width` (both checked); `run` does the CPU-bound work."""

    __slots__ = ("name", "width")

    def __init__(self, name: str, width: int) -> None:
        self.name = name
        self.width = width

    def run(self) -> Response:
        return Response(200, images.render(self.name, self.width), media_type=images.MEDIA_TYPE)


def image(name: str, query: str) -> Response | Render:
    """Rules 32-33: a known name (else 404) and a width of 16..4096 in decimal (else 422)."""
    if name not in images.IMAGES:
        return NOT_FOUND
    text = validate.query_params(query, _WIDTH).get("width")
    width = None if text is None else validate.decimal(text)
    if width is None or not images.MIN_WIDTH <= width <= images.MAX_WIDTH:
        problem = "field required" if text is None else _WIDTH_RULE
        return invalid([{"loc": ["query", "width"], "msg": problem}])
    return Render(name, width)
