"""The contract's checks of what the API does: health, reading, and writing authors and posts,
one function per rule group of RULES.md, in the order they run. What it refuses (malformed and
oversized bodies, strict types, limits, unknown paths and methods) is in `input_checks`.

Each check makes its own data and sends requests that break exactly one rule, so the status it
expects is the only correct one (RULES.md 21).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from framematrix.contract.context import (
    MAX_ID,
    CheckFailed,
    CheckList,
    Context,
    check_author,
    check_post,
    ensure,
    parse_timestamp,
    same_post,
)

CHECKS = CheckList()
check = CHECKS.add

CLOCK_SLACK = timedelta(seconds=60)
BAD_IDS = ("abc", "0", "-1", "1.5", "99999999999", str(MAX_ID + 1), "1e3")
BAD_PAGING = (
    ("limit", "0"),
    ("limit", "101"),
    ("limit", "-1"),
    ("limit", "abc"),
    ("limit", ""),
    ("limit", "1.5"),
    ("offset", "-1"),
    ("offset", str(MAX_ID + 1)),
    ("offset", "x"),
    ("offset", ""),
)


def _list(ctx: Context, path: str) -> list[Any]:
    body = ctx.expect(ctx.client.get(path), 200)
    if not isinstance(body, list):
        raise CheckFailed(f"GET {path} must answer a JSON array, got {body!r:.100}")
    return body


def _ascending(items: list[dict[str, Any]], path: str) -> None:
    ids = [item["id"] for item in items]
    ensure(ids == sorted(set(ids)), f"GET {path}: ids not strictly ascending: {ids}")


def _same_posts(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> bool:
    return len(a) == len(b) and all(same_post(x, y) for x, y in zip(a, b, strict=True))


# -- health and reading ----------------------------------------------------------------------


@check("health")
def health(ctx: Context) -> None:
    body = ctx.expect(ctx.client.get("/health"), 200)
    ensure(body == {"status": "ok"}, f'GET /health must answer {{"status": "ok"}}, got {body!r}')


@check("list authors: default limit, limit, offset, order")
def list_authors(ctx: Context) -> None:
    existing = _list(ctx, "/authors?limit=100")
    for _ in range(max(0, 25 - len(existing))):
        ctx.new_author()
    every = _list(ctx, "/authors?limit=100")
    for author in every:
        check_author(author)
    _ascending(every, "/authors?limit=100")
    ensure(len(every) >= 25, f"created authors are missing from GET /authors ({len(every)})")
    ensure(_list(ctx, "/authors") == every[:20], "GET /authors is not the first 20 by id")
    ensure(
        _list(ctx, "/authors?limit=3&offset=2") == every[2:5],
        "GET /authors?limit=3&offset=2 is not authors 3-5 by id",
    )
    ensure(_list(ctx, "/authors?limit=1") == every[:1], "GET /authors?limit=1")
    ensure(_list(ctx, f"/authors?offset={MAX_ID}") == [], "an offset past the end must give []")
    ensure(
        _list(ctx, "/authors?limit=2&nickname=x") == every[:2],
        "unknown query parameters must be ignored",
    )


@check("limit and offset out of range or not integers: 422")
def bad_paging(ctx: Context) -> None:
    for path in ("/authors", "/posts"):
        for name, value in BAD_PAGING:
            response = ctx.client.get(f"{path}?{name}={value}")
            ctx.expect_error(response, 422, ["query", name])


@check("get author and post: unknown, malformed and out-of-range ids: 404")
def bad_ids(ctx: Context) -> None:
    gone_author, gone_post = str(ctx.gone_author_id()), str(ctx.gone_post_id())
    for path, gone in (("/authors", gone_author), ("/posts", gone_post)):
        for value in (gone, str(MAX_ID), *BAD_IDS):
            ctx.expect_error(ctx.client.get(f"{path}/{value}"), 404)
    author = {"name": "Nobody", "email": ctx.email()}
    post = {"title": "Nothing", "content": "", "author_id": ctx.new_author()["id"]}
    for value in (gone_author, "abc", "0"):
        ctx.expect_error(ctx.client.put(f"/authors/{value}", author), 404)
        ctx.expect_error(ctx.client.patch(f"/authors/{value}", {"name": "Nobody"}), 404)
        ctx.expect_error(ctx.client.delete(f"/authors/{value}"), 404)
    for value in (gone_post, "abc", "0"):
        ctx.expect_error(ctx.client.put(f"/posts/{value}", post), 404)
        ctx.expect_error(ctx.client.patch(f"/posts/{value}", {"title": "Nothing"}), 404)
        ctx.expect_error(ctx.client.delete(f"/posts/{value}"), 404)


# -- writing authors -------------------------------------------------------------------------


@check("create author: 201, Location, the object as GET returns it")
def create_author(ctx: Context) -> None:
    sent = {"name": "Ada Lovelace", "email": ctx.email()}
    response = ctx.client.post("/authors", sent)
    author = check_author(ctx.expect(response, 201))
    ctx.created_authors.append(author["id"])
    ensure(
        author["name"] == sent["name"] and author["email"] == sent["email"],
        f"created author {author} differs from what was sent {sent}",
    )
    location = response.header("Location")
    ensure(
        location == f"/authors/{author['id']}",
        f"Location must be /authors/{author['id']}, got {location!r}",
    )
    ensure(
        ctx.expect(ctx.client.get(f"/authors/{author['id']}"), 200) == author,
        "GET after POST returns a different author",
    )


@check("PUT replaces an author and needs every field")
def put_author(ctx: Context) -> None:
    author = ctx.new_author()
    path = f"/authors/{author['id']}"
    sent = {"name": "Replaced Name", "email": ctx.email()}
    replaced = ctx.expect(ctx.client.put(path, sent), 200)
    ensure(replaced == {"id": author["id"], **sent}, f"PUT answered {replaced}, sent {sent}")
    ensure(ctx.expect(ctx.client.get(path), 200) == replaced, "GET after PUT differs")
    ctx.expect_error(ctx.client.put(path, {"name": "Only Name"}), 422, ["body", "email"])
    again = ctx.expect(ctx.client.put(path, {"name": "Same Email", "email": sent["email"]}), 200)
    ensure(again["email"] == sent["email"], "PUT keeping its own email must not be a conflict")


@check("PATCH updates a subset; an empty PATCH is 422")
def patch_author(ctx: Context) -> None:
    author = ctx.new_author(name="Before")
    path = f"/authors/{author['id']}"
    renamed = ctx.expect(ctx.client.patch(path, {"name": "After"}), 200)
    ensure(renamed == {**author, "name": "After"}, f"PATCH name gave {renamed}")
    email = ctx.email()
    moved = ctx.expect(ctx.client.patch(path, {"email": email}), 200)
    ensure(moved == {**author, "name": "After", "email": email}, f"PATCH email gave {moved}")
    ensure(ctx.expect(ctx.client.get(path), 200) == moved, "GET after PATCH differs")
    ctx.expect_error(ctx.client.patch(path, {}), 422, ["body"])
    ctx.expect_error(ctx.client.patch(path, {"name": None}), 422, ["body", "name"])
    ctx.expect_error(ctx.client.patch(path, {"nickname": "x"}), 422, ["body", "nickname"])


# -- posts -----------------------------------------------------------------------------------


@check("create post: 201, Location, nested author, created_at now in UTC")
def create_post(ctx: Context) -> None:
    author = ctx.new_author()
    sent = {"title": "Hello", "content": "World", "author_id": author["id"]}
    before = datetime.now(UTC)
    response = ctx.client.post("/posts", sent)
    after = datetime.now(UTC)
    post = check_post(ctx.expect(response, 201))
    ensure(post["author"] == author, f"nested author {post['author']} != {author}")
    ensure((post["title"], post["content"]) == ("Hello", "World"), f"post differs: {post}")
    stamp = parse_timestamp(post["created_at"])
    ensure(
        before - CLOCK_SLACK <= stamp <= after + CLOCK_SLACK,
        f"created_at {post['created_at']} is not the time of creation in UTC "
        f"(client saw {before:%Y-%m-%dT%H:%M:%SZ})",
    )
    location = response.header("Location")
    ensure(
        location == f"/posts/{post['id']}",
        f"Location must be /posts/{post['id']}, got {location!r}",
    )
    got = check_post(ctx.expect(ctx.client.get(f"/posts/{post['id']}"), 200))
    ensure(same_post(got, post), f"GET after POST differs: {got} != {post}")


@check("list posts: nested authors, order, default limit, limit, offset")
def list_posts(ctx: Context) -> None:
    author = ctx.new_author()
    for i in range(25):
        ctx.new_post(author["id"], title=f"List {i}")
    every = _list(ctx, "/posts?limit=100")
    for post in every:
        check_post(post)
    _ascending(every, "/posts?limit=100")
    ensure(len(every) >= 25, f"created posts are missing from GET /posts ({len(every)})")
    for nested in list({p["author"]["id"]: p["author"] for p in every}.values())[:5]:
        own = ctx.expect(ctx.client.get(f"/authors/{nested['id']}"), 200)
        ensure(nested == own, f"nested author {nested} != GET /authors/{nested['id']} {own}")
    ensure(_same_posts(_list(ctx, "/posts"), every[:20]), "GET /posts is not the first 20")
    ensure(
        _same_posts(_list(ctx, "/posts?limit=3&offset=2"), every[2:5]),
        "GET /posts?limit=3&offset=2 is not posts 3-5 by id",
    )
    ensure(_list(ctx, f"/posts?offset={MAX_ID}") == [], "an offset past the end must give []")


@check("filter posts by author_id")
def filter_posts(ctx: Context) -> None:
    mine, other = ctx.new_author(), ctx.new_author()
    posts = [ctx.new_post(mine["id"], title=f"Mine {i}") for i in range(3)]
    ctx.new_post(other["id"])
    found = _list(ctx, f"/posts?author_id={mine['id']}")
    ensure(_same_posts(found, posts), f"?author_id={mine['id']} gave {[p['id'] for p in found]}")
    page = _list(ctx, f"/posts?author_id={mine['id']}&limit=2&offset=1")
    ensure(_same_posts(page, posts[1:]), "?author_id with limit and offset")
    gone = ctx.gone_author_id()
    ensure(_list(ctx, f"/posts?author_id={gone}") == [], "an unknown author_id must give []")
    for value in ("abc", "0", "-1", str(MAX_ID + 1), "", "1.5"):
        ctx.expect_error(ctx.client.get(f"/posts?author_id={value}"), 422, ["query", "author_id"])


@check("author_id naming no author: 422")
def unknown_author(ctx: Context) -> None:
    gone = ctx.gone_author_id()
    body = {"title": "T", "content": "C", "author_id": gone}
    ctx.expect_error(ctx.client.post("/posts", body), 422, ["body", "author_id"])
    post = ctx.new_post(ctx.new_author()["id"])
    path = f"/posts/{post['id']}"
    ctx.expect_error(ctx.client.put(path, body), 422, ["body", "author_id"])
    ctx.expect_error(ctx.client.patch(path, {"author_id": gone}), 422, ["body", "author_id"])


@check("PUT and PATCH on posts; created_at never changes")
def update_post(ctx: Context) -> None:
    first, second = ctx.new_author(), ctx.new_author()
    post = ctx.new_post(first["id"])
    path = f"/posts/{post['id']}"
    stamp = parse_timestamp(post["created_at"])
    sent = {"title": "Replaced", "content": "New", "author_id": second["id"]}
    replaced = check_post(ctx.expect(ctx.client.put(path, sent), 200))
    ensure(replaced["author"] == second, "PUT author_id must change the nested author")
    ensure((replaced["title"], replaced["content"]) == ("Replaced", "New"), f"PUT gave {replaced}")
    patched = check_post(ctx.expect(ctx.client.patch(path, {"title": "Patched"}), 200))
    ensure(patched["content"] == "New" and patched["author"] == second, f"PATCH gave {patched}")
    for body in (replaced, patched, ctx.expect(ctx.client.get(path), 200)):
        ensure(
            parse_timestamp(body["created_at"]) == stamp,
            f"created_at changed from {post['created_at']} to {body['created_at']}",
        )
    ctx.expect_error(
        ctx.client.put(path, {"title": "T", "content": "C"}), 422, ["body", "author_id"]
    )
    ctx.expect_error(ctx.client.patch(path, {}), 422, ["body"])
    ctx.expect(ctx.client.patch(f"/authors/{second['id']}", {"name": "Renamed"}), 200)
    nested = ctx.expect(ctx.client.get(path), 200)["author"]
    ensure(nested["name"] == "Renamed", "a post must show its author's current name")


# -- deleting --------------------------------------------------------------------------------


@check("DELETE: 204 with an empty body, then 404")
def delete(ctx: Context) -> None:
    author = ctx.new_author()
    post = ctx.new_post(author["id"])
    for path in (f"/posts/{post['id']}", f"/authors/{author['id']}"):
        response = ctx.client.delete(path)
        ensure(
            response.status == 204 and response.body == b"",
            f"DELETE must answer 204 with no body: {response.describe()}",
        )
        ctx.expect_error(ctx.client.get(path), 404)
        ctx.expect_error(ctx.client.delete(path), 404)
    ctx.created_authors.remove(author["id"])


@check("deleting an author deletes their posts")
def cascade(ctx: Context) -> None:
    author = ctx.new_author()
    posts = [ctx.new_post(author["id"]) for _ in range(2)]
    ctx.expect(ctx.client.delete(f"/authors/{author['id']}"), 204)
    ctx.created_authors.remove(author["id"])
    for post in posts:
        ctx.expect_error(ctx.client.get(f"/posts/{post['id']}"), 404)
    ensure(_list(ctx, f"/posts?author_id={author['id']}") == [], "posts outlived their author")
