"""SQL injection: payloads in JSON bodies, query parameters and the login form must be inert.

Inert means: a string is stored and returned verbatim, a malformed parameter is refused with a
4xx, a login with a payload for a user name fails, and nothing answers 5xx.
"""

from __future__ import annotations

import secrets
from urllib.parse import quote

from framematrix.audit.context import Context
from framematrix.audit.model import ProbeResult

NAME = "sql-injection"
PAYLOADS = (
    "' OR '1'='1",
    "'; DROP TABLE posts; --",
    '" OR 1=1 --',
    "1' UNION SELECT NULL, NULL --",
    "Robert'); DROP TABLE authors;--",
    "\\'; SELECT 1; --",
    "%' AND 1=0 --",
)
QUERY_PAYLOADS = ("1 OR 1=1", "1' OR '1'='1", "1; DROP TABLE posts")
LOGIN_PAYLOADS = ("' OR '1'='1' --", "audit' --", "audit'/*")


def sql_injection(ctx: Context) -> ProbeResult:
    client = ctx.client()
    errors: list[str] = []
    altered: list[str] = []

    for payload in PAYLOADS:
        email = f"sqli-{secrets.token_hex(6)}@x.example"
        created = client.request("POST", "/authors", body={"name": payload, "email": email})
        if created.status in (404, 405):
            return ProbeResult.not_applicable(NAME, "no JSON API (POST /authors)")
        if created.status >= 500:
            errors.append(f"POST /authors name={payload!r} -> {created.status}")
            continue
        if created.status != 201:
            altered.append(f"POST /authors name={payload!r} refused ({created.status})")
            continue
        author_id = created.json()["id"]
        back = client.request("GET", f"/authors/{author_id}")
        if back.status != 200 or back.json().get("name") != payload:
            altered.append(f"author {author_id} came back as {back.text[:80]!r}")
        post = {"title": payload, "content": " ".join(PAYLOADS), "author_id": author_id}
        made = client.request("POST", "/posts", body=post)
        if made.status >= 500:
            errors.append(f"POST /posts title={payload!r} -> {made.status}")
        elif made.status != 201:
            altered.append(f"POST /posts title={payload!r} refused ({made.status})")
        else:
            got = client.request("GET", f"/posts/{made.json()['id']}").json()
            if [got.get("title"), got.get("content")] != [post["title"], post["content"]]:
                altered.append(f"post title {payload!r} came back as {got.get('title')!r}")

    for payload in QUERY_PAYLOADS:
        response = client.request("GET", f"/posts?author_id={quote(payload)}")
        if response.status >= 500:
            errors.append(f"GET /posts?author_id={payload} -> {response.status}")
        elif response.status == 200:
            rows = response.json()
            authors = {row["author"]["id"] for row in rows} if isinstance(rows, list) else set()
            if len(authors) > 1:
                errors.append(
                    f"GET /posts?author_id={payload} returned posts of {len(authors)} authors"
                )

    if ctx.web:
        for payload in LOGIN_PAYLOADS:
            login = ctx.log_in(payload, "not-the-password")
            if login.response.status >= 500:
                errors.append(f"login as {payload!r} -> {login.response.status}")
            elif login.ok:
                errors.append(f"login as {payload!r} with a wrong password succeeded")

    tried = f"{len(PAYLOADS)} body, {len(QUERY_PAYLOADS)} query" + (
        f", {len(LOGIN_PAYLOADS)} login payloads" if ctx.web else " payloads"
    )
    if errors:
        return ProbeResult(NAME, False, "; ".join(errors), "sqli-error")
    if altered:
        return ProbeResult(NAME, False, "; ".join(altered), "sqli-altered")
    return ProbeResult(NAME, True, f"{tried}: stored verbatim, refused or inert", "sqli-inert")


PROBES = (sql_injection,)
