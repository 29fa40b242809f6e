"""Routing and the endpoints, as pure functions from a request to a response or one SQL step.

An endpoint never does I/O: it answers at once (404, 405, 400, 422, /health) or returns a `Step`
— one statement, its parameters, and how to turn the fetched rows into the response. Each shell
runs the step with its own driver, blocking (WSGI) or awaited (ASGI), so the logic exists once.
The profile's step ends in a `Fetch` (the upstream call) and the image is a `Render` (CPU work),
both from `workloads.py`, which the shells carry out their own way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from framematrix.contestants.raw_core import validate, work, workloads
from framematrix.contestants.raw_core.response import (
    HEALTH,
    NO_CONTENT,
    NOT_FOUND,
    Encoder,
    Response,
    encode,
    error,
    invalid,
)
from framematrix.contestants.raw_core.sql import Dialect, Placeholder, statements
from framematrix.contestants.raw_core.workloads import Fetch, Render

Row = Sequence[Any]
Finish = Callable[[list[Row]], "Response | Fetch"]
Handler = Callable[[int, str, bytes], "Response | Step"]
Methods = tuple[Mapping[str, Handler], Response]
"""A path's handlers by method, and its prebuilt 405 answer."""

_PAGE = frozenset({"limit", "offset"})
_POST_FILTERS = frozenset({"limit", "offset", "author_id"})
# A write's fields, in the order its statement takes them (`sql.statements`).
_AUTHOR_RULES = {"name": validate.text(1, 100), "email": validate.email}
_POST_RULES = {
    "title": validate.text(1, 200),
    "content": validate.text(0, 20_000),
    "author_id": validate.identifier,
}


class Step:
    """One statement to run; `finish` builds the response from all the rows it returned."""

    __slots__ = ("finish", "params", "sql")

    def __init__(self, sql: str, params: tuple[Any, ...], finish: Finish) -> None:
        self.sql = sql
        self.params = params
        self.finish = finish


def _author(row: Row) -> dict[str, Any]:
    return {"id": row[0], "name": row[1], "email": row[2]}


def _post(row: Row) -> dict[str, Any]:
    return {
        "id": row[0],
        "title": row[1],
        "content": row[2],
        "author": {"id": row[3], "name": row[4], "email": row[5]},
        "created_at": row[6],
    }


def _many(shape: Callable[[Row], dict[str, Any]], encode: Encoder) -> Finish:
    return lambda rows: Response(200, encode([shape(row) for row in rows]))


def _one(shape: Callable[[Row], dict[str, Any]], encode: Encoder) -> Finish:
    return lambda rows: Response(200, encode(shape(rows[0]))) if rows else NOT_FOUND


def _created(shape: Callable[[Row], dict[str, Any]], collection: str, encode: Encoder) -> Finish:
    """201 with the Location path; the INSERT always returns its row."""

    def finish(rows: list[Row]) -> Response:
        return Response(201, encode(shape(rows[0])), (("Location", f"/{collection}/{rows[0][0]}"),))

    return finish


def _deleted(rows: list[Row]) -> Response:
    return NO_CONTENT if rows else NOT_FOUND


def _page(params: dict[str, str], errors: validate.Errors) -> tuple[int, int]:
    limit = validate.query_int(params, "limit", 20, 1, 100, errors)
    offset = validate.query_int(params, "offset", 0, 0, validate.MAX_ID, errors)
    return limit, offset


class Api:
    """The contract for one SQL dialect, driver placeholder and JSON encoder; built once per
    process. The encoder writes every body built per request; fixed answers are prebuilt."""

    def __init__(self, dialect: Dialect, placeholder: Placeholder, encoder: Encoder = encode):
        self.sql = statements(dialect, placeholder)
        self.encoder = encoder
        self._list_authors = _many(_author, encoder)
        self._list_posts = _many(_post, encoder)
        self._one_author = _one(_author, encoder)
        self._one_post = _one(_post, encoder)
        self._new_author = _created(_author, "authors", encoder)
        self._new_post = _created(_post, "posts", encoder)
        author_item = {
            "GET": self.get_author,
            "PUT": self.replace_author,
            "PATCH": self.update_author,
            "DELETE": self.delete_author,
        }
        post_item = {
            "GET": self.get_post,
            "PUT": self.replace_post,
            "PATCH": self.update_post,
            "DELETE": self.delete_post,
        }
        authors = {"GET": self.list_authors, "POST": self.create_author}
        posts = {"GET": self.list_posts, "POST": self.create_post}
        self.routes: dict[str, tuple[Methods, Methods]] = {
            "authors": (_methods(authors), _methods(author_item)),
            "posts": (_methods(posts), _methods(post_item)),
        }

    def handle(
        self, method: str, path: str, query: str, body: bytes
    ) -> Response | Step | Render | work.Job:
        """Rules 1, 4, 16 and 17: exact paths, ids in range, 405 with Allow for other methods."""
        if path == "/health":
            return HEALTH if method == "GET" else _HEALTH_NOT_ALLOWED
        parts = path.split("/")
        if len(parts) == 4 and parts[1] == "authors" and parts[3] == "profile" and not parts[0]:
            return self.get_profile(method, parts[2])
        if path == "/work":
            return self.work(query) if method == "GET" else _ONLY_GET
        if len(parts) == 3 and parts[1] == "images" and not parts[0]:
            return workloads.image(parts[2], query) if method == "GET" else _ONLY_GET
        route = self.routes.get(parts[1]) if len(parts) in (2, 3) and not parts[0] else None
        if route is None:
            return NOT_FOUND
        ident: int | None
        if len(parts) == 2:
            (handlers, not_allowed), ident = route[0], 0
        else:
            (handlers, not_allowed), ident = route[1], validate.path_id(parts[2])
            if ident is None:
                return NOT_FOUND
        handler = handlers.get(method)
        return not_allowed if handler is None else handler(ident, query, body)

    # authors

    def list_authors(self, _: int, query: str, body: bytes) -> Response | Step:
        errors: validate.Errors = []
        limit, offset = _page(validate.query_params(query, _PAGE), errors)
        if errors:
            return invalid(errors, self.encoder)
        return Step(self.sql.list_authors, (limit, offset), self._list_authors)

    def get_author(self, ident: int, query: str, body: bytes) -> Response | Step:
        return Step(self.sql.get_author, (ident,), self._one_author)

    def create_author(self, _: int, query: str, body: bytes) -> Response | Step:
        return self._write(body, _AUTHOR_RULES, self.sql.create_author, self._new_author)

    def replace_author(self, ident: int, query: str, body: bytes) -> Response | Step:
        return self._write(body, _AUTHOR_RULES, self.sql.replace_author, self._one_author, ident)

    def update_author(self, ident: int, query: str, body: bytes) -> Response | Step:
        return self._write(
            body, _AUTHOR_RULES, self.sql.update_author, self._one_author, ident, partial=True
        )

    def delete_author(self, ident: int, query: str, body: bytes) -> Response | Step:
        return Step(self.sql.delete_author, (ident,), _deleted)

    def get_profile(self, method: str, segment: str) -> Response | Step:
        """Rules 25-26: the author's row first; the shell then calls the upstream once."""
        ident = validate.path_id(segment)
        if ident is None:
            return NOT_FOUND
        if method != "GET":
            return _ONLY_GET
        return Step(self.sql.get_author, (ident,), workloads.fetch_or_404)

    def work(self, query: str) -> Response | work.Job:
        """Rules 36-42: the work of the parameters, as a job the shell drives."""
        params = work.parse(query, self.encoder)
        if isinstance(params, Response):
            return params
        sql = self.sql
        return work.job(params, sql.get_post, sql.touch_post, sql.list_posts, _post, self.encoder)

    # posts

    def list_posts(self, _: int, query: str, body: bytes) -> Response | Step:
        """Rules 6 and 7: one joined query, optionally filtered by a valid author id."""
        errors: validate.Errors = []
        params = validate.query_params(query, _POST_FILTERS)
        limit, offset = _page(params, errors)
        author = params.get("author_id")
        if author is None:
            if errors:
                return invalid(errors, self.encoder)
            return Step(self.sql.list_posts, (limit, offset), self._list_posts)
        author_id = validate.path_id(author)
        if author_id is None:
            errors.append({"loc": ["query", "author_id"], "msg": validate.ID_RANGE})
        if errors:
            return invalid(errors, self.encoder)
        step_params = (author_id, limit, offset)
        return Step(self.sql.list_posts_by_author, step_params, self._list_posts)

    def get_post(self, ident: int, query: str, body: bytes) -> Response | Step:
        return Step(self.sql.get_post, (ident,), self._one_post)

    def create_post(self, _: int, query: str, body: bytes) -> Response | Step:
        return self._write(body, _POST_RULES, self.sql.create_post, self._new_post)

    def replace_post(self, ident: int, query: str, body: bytes) -> Response | Step:
        return self._write(body, _POST_RULES, self.sql.replace_post, self._one_post, ident)

    def update_post(self, ident: int, query: str, body: bytes) -> Response | Step:
        return self._write(
            body, _POST_RULES, self.sql.update_post, self._one_post, ident, partial=True
        )

    def delete_post(self, ident: int, query: str, body: bytes) -> Response | Step:
        return Step(self.sql.delete_post, (ident,), _deleted)

    def _write(
        self,
        body: bytes,
        rules: dict[str, validate.Check],
        sql: str,
        finish: Finish,
        ident: int | None = None,
        *,
        partial: bool = False,
    ) -> Response | Step:
        """A create, replace (all of `rules`) or update (`partial`): the body checked, then `sql`
        with its fields in the rules' order (None for one an update leaves as it is) and the id
        of the item it changes."""
        data = validate.json_object(body)
        if isinstance(data, Response):
            return data
        errors = validate.fields(data, rules, partial=partial)
        if errors:
            return invalid(errors, self.encoder)
        params = tuple(map(data.get, rules))
        return Step(sql, params if ident is None else (*params, ident), finish)


def _not_allowed(methods: Iterable[str]) -> Response:
    """Rule 17: 405 naming the methods the path takes."""
    return error(405, "Method Not Allowed", (("Allow", ", ".join(methods)),))


def _methods(handlers: Mapping[str, Handler]) -> Methods:
    return handlers, _not_allowed(handlers)


_HEALTH_NOT_ALLOWED = _not_allowed(["GET"])
_ONLY_GET = _not_allowed(["GET"])
