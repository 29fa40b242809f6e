"""The checks of `GET /work` (RULES.md 36-42), registered with the other workload checks.

They hold on any server with any data: the reads follow a chain of posts the check makes
itself, and each answer is compared with what the blog endpoints answer for the same posts.
"""

from __future__ import annotations

from typing import Any

from framematrix.contract import work
from framematrix.contract.context import Context, ensure
from framematrix.contract.workload_checks import check, held_upstream, not_allowed

BAD_VALUES = ("-1", "abc", "1.5", "", "1e1", "%201")
CALLS = 3
WRITES = 3
ITEMS = 5


def _work(ctx: Context, status: int = 200, **params: int) -> Any:
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return ctx.expect(ctx.client.get(f"{work.PATH}?{query}"), status)


def _chain(ctx: Context, start: int, reads: int) -> dict[str, Any] | None:
    """The post `reads` dependent reads end at (RULES.md 39), by `GET /posts/{id}`; None when
    one of them names no post."""
    post: dict[str, Any] | None = None
    ident = start
    for _ in range(reads):
        response = ctx.client.get(f"/posts/{ident}")
        if response.status == 404:
            return None
        post = ctx.expect(response, 200)
        assert post is not None
        ident = post["author"]["id"]
    return post


@check("work: nothing asked is nothing done", work.PART)
def work_nothing(ctx: Context) -> None:
    body = _work(ctx)
    ensure(body == {"post": None, "posts": [], "computed": 0}, f"GET /work answered {body!r:.200}")


@check("work: dependent reads, writes that change nothing, the first posts listed", work.PART)
def work_done(ctx: Context) -> None:
    author = ctx.new_author(name="Working Author")
    mine = ctx.new_post(author["id"], title="Work chain")
    for reads in (1, 2):
        expected = _chain(ctx, mine["id"], reads)
        if expected is None:
            _work(ctx, 404, queries=reads, start=mine["id"])
            continue
        body = _work(ctx, queries=reads, start=mine["id"])
        ensure(body["post"] == expected, f"{reads} reads ended at {body['post']}, not {expected}")
    before = ctx.expect(ctx.client.get(f"/posts/{mine['id']}"), 200)
    body = _work(ctx, writes=WRITES, start=mine["id"])
    after = ctx.expect(ctx.client.get(f"/posts/{mine['id']}"), 200)
    ensure(after == before, f"the writes changed the post: {before} became {after}")
    listed = ctx.expect(ctx.client.get(f"/posts?limit={ITEMS}"), 200)
    body = _work(ctx, items=ITEMS, compute_ms=1)
    ensure(body["posts"] == listed, "items are not the first posts as GET /posts lists them")
    ensure(type(body["computed"]) is int, f"computed is {body['computed']!r}, not an integer")


@check("work: a read of a post that does not exist is 404", work.PART)
def work_missing(ctx: Context) -> None:
    ctx.expect_error(ctx.client.get(f"{work.PATH}?queries=1&start={ctx.gone_post_id()}"), 404)


@check("work: a value out of bounds, empty or not decimal is 422 at its name", work.PART)
def work_bad_values(ctx: Context) -> None:
    for name, high in work.BOUNDS.items():
        for value in (str(high + 1), *BAD_VALUES):
            path = f"{work.PATH}?{name}={value}"
            ctx.expect_error(ctx.client.get(path), 422, ["query", name])
    for value in ("0", str(work.MAX_ID + 1), *BAD_VALUES):
        path = f"{work.PATH}?{work.START}={value}"
        ctx.expect_error(ctx.client.get(path), 422, ["query", work.START])


@check("work: each call reaches the upstream once", work.PART, needs_upstream=True)
def work_calls(ctx: Context) -> None:
    upstream = held_upstream(ctx)
    start = ctx.new_author()["id"]
    before = upstream.calls(start)
    _work(ctx, calls=CALLS, start=start)
    made = upstream.calls(start) - before
    ensure(made == CALLS, f"calls={CALLS} reached the upstream {made} times")


@check("work: other methods are 405 with Allow", work.PART)
def work_methods(ctx: Context) -> None:
    for method in ("POST", "PUT", "DELETE"):
        not_allowed(ctx, method, work.PATH)
