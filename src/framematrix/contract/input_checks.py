"""The contract's checks of what a request may carry and where it may go: malformed JSON,
missing and unknown fields, strict types, lengths, exact strings, emails, U+0000, duplicates,
the 1 MiB limit, methods and unknown paths; run after `checks.CHECKS`, in this order.

Each sends requests that break exactly one rule (RULES.md 21), on data of its own.
"""

from __future__ import annotations

import json
from typing import Any

from framematrix.contract.context import MAX_ID, CheckList, Context, check_author, ensure

INPUT_CHECKS = CheckList()
check = INPUT_CHECKS.add
MIB = 1_048_576


def _padded(payload: dict[str, Any], size: int) -> bytes:
    """`payload` as JSON, padded with whitespace to exactly `size` bytes: valid JSON, only big."""
    data = json.dumps(payload).encode()
    return data + b" " * (size - len(data))


@check("invalid JSON, not UTF-8 or not an object: 400")
def bad_json(ctx: Context) -> None:
    author = ctx.new_author()
    targets = (
        ("POST", "/authors"),
        ("PUT", f"/authors/{author['id']}"),
        ("PATCH", f"/authors/{author['id']}"),
        ("POST", "/posts"),
    )
    bodies = (b'{"name": ', b"", b"[1, 2]", b'"text"', b"null", b"42", b'{"name": "\xff"}')
    for method, path in targets:
        for raw in bodies:
            ctx.expect_error(ctx.client.request(method, path, raw=raw), 400)


@check("missing and unknown fields: 422 naming the field")
def missing_and_unknown(ctx: Context) -> None:
    author = ctx.new_author()
    email = ctx.email()
    ctx.expect_error(ctx.client.post("/authors", {"name": "N"}), 422, ["body", "email"])
    ctx.expect_error(ctx.client.post("/authors", {"email": email}), 422, ["body", "name"])
    extra = {"name": "N", "email": email, "nickname": "n"}
    ctx.expect_error(ctx.client.post("/authors", extra), 422, ["body", "nickname"])
    post = {"title": "T", "content": "C", "author_id": author["id"]}
    for field in post:
        partial = {k: v for k, v in post.items() if k != field}
        ctx.expect_error(ctx.client.post("/posts", partial), 422, ["body", field])
    ctx.expect_error(ctx.client.post("/posts", {**post, "tags": []}), 422, ["body", "tags"])


@check("JSON types are strict: no coercion, no null")
def strict_types(ctx: Context) -> None:
    author = ctx.new_author()
    aid = author["id"]
    value: object
    body: dict[str, object]
    for field, value in (
        ("name", 5),
        ("name", None),
        ("name", ["x"]),
        ("email", 5),
        ("email", True),
        ("email", None),
    ):
        body = {"name": "N", "email": ctx.email(), field: value}
        ctx.expect_error(ctx.client.post("/authors", body), 422, ["body", field])
    raw = b'{"title": "T", "content": "C", "author_id": %d.0}' % aid
    ctx.expect_error(ctx.client.request("POST", "/posts", raw=raw), 422, ["body", "author_id"])
    for field, value in (
        ("author_id", str(aid)),
        ("author_id", True),
        ("author_id", None),
        ("author_id", 0),
        ("author_id", MAX_ID + 1),
        ("title", 5),
        ("content", None),
        ("content", {"text": "C"}),
    ):
        body = {"title": "T", "content": "C", "author_id": aid, field: value}
        ctx.expect_error(ctx.client.post("/posts", body), 422, ["body", field])


@check("string limits count code points")
def lengths(ctx: Context) -> None:
    ctx.new_author(name="é" * 100)
    ctx.new_author(name="😀" * 100)
    ctx.expect_error(
        ctx.client.post("/authors", {"name": "a" * 101, "email": ctx.email()}),
        422,
        ["body", "name"],
    )
    ctx.expect_error(
        ctx.client.post("/authors", {"name": "", "email": ctx.email()}), 422, ["body", "name"]
    )
    base = ctx.email("len")
    longest = "x" * (254 - len(base)) + base
    ctx.new_author(email=longest)
    ctx.expect_error(
        ctx.client.post("/authors", {"name": "N", "email": "y" + longest}), 422, ["body", "email"]
    )
    aid = ctx.new_author()["id"]
    ctx.new_post(aid, title="é" * 200, content="ü" * 20_000)
    for field, value in (("title", "t" * 201), ("title", ""), ("content", "c" * 20_001)):
        body = {"title": "T", "content": "C", "author_id": aid, field: value}
        ctx.expect_error(ctx.client.post("/posts", body), 422, ["body", field])


@check("strings are stored exactly as sent")
def exact_strings(ctx: Context) -> None:
    name = "  Ünïcode e\u0301 名前 \t "
    author = ctx.new_author(name=name)
    ensure(author["name"] == name, f"name came back as {author['name']!r}, sent {name!r}")
    upper = f"Case-{ctx.token}@Example.com"
    ctx.new_author(email=upper)
    lower = ctx.new_author(email=upper.lower())
    ensure(lower["email"] == upper.lower(), "emails differing in case are different emails")
    post = ctx.new_post(author["id"], title=" Spaced title ", content="")
    ensure(
        post["title"] == " Spaced title " and post["content"] == "",
        f"post strings changed: {post['title']!r}, {post['content']!r}",
    )


@check("emails: the contract's pattern decides")
def emails(ctx: Context) -> None:
    # U+FEFF and U+200B are no whitespace to the contract (str.isspace()), U+001C and U+0085 are.
    accepted = (
        f"a+{ctx.token}@b.c",
        f"üser.{ctx.token}@exämple.test",
        f"{ctx.token}@x.y.z",
        f"{ctx.token}\ufeff@b.c",
        f"{ctx.token}@b\u200b.c",
    )
    for email in accepted:
        ensure(ctx.new_author(email=email)["email"] == email, f"{email!r} came back changed")
    rejected = (
        "plain",
        "a@b",
        "a b@c.de",
        "a@b@c.de",
        "@b.de",
        "a@.de",
        "a@b.",
        "a\t@b.de",
        "",
        "a\x1c@b.de",
        "a@b\x85.de",
        "a@b.d\u3000e",
    )
    for email in rejected:
        body = {"name": "N", "email": email}
        ctx.expect_error(ctx.client.post("/authors", body), 422, ["body", "email"])


@check("U+0000 in any string: 422")
def nul(ctx: Context) -> None:
    aid = ctx.new_author()["id"]
    ctx.expect_error(
        ctx.client.post("/authors", {"name": "a\x00b", "email": ctx.email()}), 422, ["body", "name"]
    )
    email = ctx.email().replace("@", "\x00@")
    ctx.expect_error(
        ctx.client.post("/authors", {"name": "N", "email": email}), 422, ["body", "email"]
    )
    for field in ("title", "content"):
        body = {"title": "T", "content": "C", "author_id": aid, field: "x\x00"}
        ctx.expect_error(ctx.client.post("/posts", body), 422, ["body", field])


@check("duplicate email: 409 on create, PUT and PATCH")
def duplicate_email(ctx: Context) -> None:
    first = ctx.new_author()
    second = ctx.new_author()
    taken = first["email"]
    ctx.expect_error(ctx.client.post("/authors", {"name": "Copy", "email": taken}), 409)
    path = f"/authors/{second['id']}"
    ctx.expect_error(ctx.client.put(path, {"name": "Copy", "email": taken}), 409)
    ctx.expect_error(ctx.client.patch(path, {"email": taken}), 409)
    ensure(ctx.expect(ctx.client.get(path), 200) == second, "a refused update changed the author")


@check("body over 1 MiB: 413; exactly 1 MiB is accepted")
def too_large(ctx: Context) -> None:
    author = ctx.new_author()
    post = {"title": "T", "content": "C", "author_id": author["id"]}
    for method, path, payload in (
        ("POST", "/authors", {"name": "Big", "email": ctx.email()}),
        ("PUT", f"/authors/{author['id']}", {"name": "Big", "email": ctx.email()}),
        ("POST", "/posts", post),
    ):
        ctx.expect_error(ctx.client.request(method, path, raw=_padded(payload, MIB + 1)), 413)
    fits = _padded({"name": "Just fits", "email": ctx.email()}, MIB)
    created = check_author(ctx.expect(ctx.client.request("POST", "/authors", raw=fits), 201))
    ctx.created_authors.append(created["id"])


@check("405 with Allow for a method a path does not take")
def method_not_allowed(ctx: Context) -> None:
    author = ctx.new_author()
    post = ctx.new_post(author["id"])
    item = {"GET", "PUT", "PATCH", "DELETE"}
    cases = (
        ("DELETE", "/authors", {"GET", "POST"}),
        ("PUT", "/posts", {"GET", "POST"}),
        ("PATCH", "/authors", {"GET", "POST"}),
        ("POST", f"/authors/{author['id']}", item),
        ("POST", f"/posts/{post['id']}", item),
        ("POST", "/health", {"GET"}),
        ("DELETE", "/health", {"GET"}),
    )
    for method, path, allowed in cases:
        response = ctx.client.request(method, path)
        ctx.expect_error(response, 405)
        header = response.header("Allow") or ""
        listed = {part.strip().upper() for part in header.split(",") if part.strip()}
        ensure(allowed <= listed, f"{method} {path}: Allow {header!r} lacks {allowed - listed}")


@check("unknown paths: 404 JSON")
def unknown_paths(ctx: Context) -> None:
    for path in ("/nope", "/authors/1/posts", "/api/authors", "/healthz", "/posts/1/author"):
        ctx.expect_error(ctx.client.get(path), 404)
    ctx.expect_error(ctx.client.post("/nope", {"name": "N"}), 404)


@check("trailing slash: 404, never a redirect")
def trailing_slash(ctx: Context) -> None:
    author = ctx.new_author()
    for path in ("/authors/", "/posts/", "/health/", f"/authors/{author['id']}/"):
        ctx.expect_error(ctx.client.get(path), 404)
    ctx.expect_error(ctx.client.post("/authors/", {"name": "N", "email": ctx.email()}), 404)
