"""`GET /work` for the baselines (RULES.md 36-42), without I/O: a generator that yields what
it needs done (`Calls`, a `Query`, a `Transaction`) and gets the results sent back.

Each shell drives it with its own driver and client, blocking (WSGI: the calls in turn) or
awaited (ASGI: the calls gathered), so the work and the response exist once.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from typing import Any

from framematrix.contestants.raw_core import validate
from framematrix.contestants.raw_core.response import NOT_FOUND, Encoder, Response, invalid
from framematrix.contract import work

Row = Sequence[Any]
_NAMES = frozenset((*work.PARAMS, work.START))


class Calls:
    """`count` calls to the upstream for the profile of `author_id`."""

    __slots__ = ("author_id", "count")

    def __init__(self, author_id: int, count: int) -> None:
        self.author_id = author_id
        self.count = count


class Query:
    __slots__ = ("params", "sql")

    def __init__(self, sql: str, params: tuple[Any, ...]) -> None:
        self.sql = sql
        self.params = params


class Transaction:
    """One statement run once per parameter tuple, in order, all in one transaction."""

    __slots__ = ("many", "sql")

    def __init__(self, sql: str, many: list[tuple[Any, ...]]) -> None:
        self.sql = sql
        self.many = many


Need = Calls | Query | Transaction
Job = Generator[Need, Any, Response]


def parse(query: str, encoder: Encoder) -> dict[str, int] | Response:
    """Rule 36: every parameter a decimal integer within its bounds, else 422 naming each."""
    params = validate.query_params(query, _NAMES)
    errors: validate.Errors = []
    found = {
        name: validate.query_int(params, name, 0, 0, high, errors)
        for name, high in work.BOUNDS.items()
    }
    found[work.START] = validate.query_int(params, work.START, 1, 1, validate.MAX_ID, errors)
    return invalid(errors, encoder) if errors else found


def job(
    params: dict[str, int],
    get_post: str,
    touch_post: str,
    list_posts: str,
    shape: Callable[[Row], dict[str, Any]],
    encoder: Encoder,
) -> Job:
    """Rules 37-41, in their order: calls, computation, dependent reads, writes, the list."""
    start = params[work.START]
    if params["calls"]:
        yield Calls(start, params["calls"])
    computed = work.compute(params["compute_ms"])
    post: dict[str, Any] | None = None
    ident = start
    for _ in range(params["queries"]):
        rows = yield Query(get_post, (ident,))
        if not rows:
            return NOT_FOUND
        post = shape(rows[0])
        ident = post["author"]["id"]
    if params["writes"]:
        yield Transaction(touch_post, [(start + i,) for i in range(params["writes"])])
    posts: list[Row] = []
    if params["items"]:
        posts = yield Query(list_posts, (params["items"], 0))
    body = {"post": post, "posts": [shape(row) for row in posts], "computed": computed}
    return Response(200, encoder(body))
