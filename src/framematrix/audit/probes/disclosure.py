"""Error disclosure: error responses must not show a traceback, a debug page or versions."""

from __future__ import annotations

import re

from framematrix.audit.context import Context
from framematrix.audit.model import ProbeResult

NAME = "error-disclosure"
DISCLOSURES = {
    "a traceback": re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+"),
    "a debug page": re.compile(
        r"DEBUG\s*=\s*True|Werkzeug Debugger|__debugger__|Django Version|Exception Value:"
    ),
    "a database error": re.compile(
        r"sqlite3\.|psycopg|asyncpg|OperationalError|ProgrammingError|syntax error at or near"
    ),
    "a version": re.compile(
        r"\b(Python|CPython|Django|Werkzeug|Flask|FastAPI|Starlette|uvicorn|gunicorn|granian)"
        r"[/ ]v?\d+\.\d+",
        re.IGNORECASE,
    ),
}


def error_disclosure(ctx: Context) -> ProbeResult:
    client = ctx.client()
    requests = [
        ("GET", f"/fm-audit-missing-{ctx.nonce}", None),
        ("POST", "/authors", b"{"),
        ("GET", "/posts?limit=abc", None),
        ("GET", "/posts?author_id=1%27", None),
    ] + ([("GET", "/posts/abc/view", None)] if ctx.web else [])
    found, statuses = [], []
    for method, path, body in requests:
        headers = {"Content-Type": "application/json"} if body is not None else None
        response = client.request(method, path, raw=body, headers=headers)
        statuses.append(f"{method} {path} -> {response.status}")
        for what, pattern in DISCLOSURES.items():
            match = pattern.search(response.text)
            if match:
                found.append(
                    f"{method} {path} ({response.status}) shows {what}: {match.group(0)!r}"
                )
    if found:
        return ProbeResult(NAME, False, "; ".join(found), "disclosure")
    return ProbeResult(
        NAME,
        True,
        "no traceback, debug page or version in: " + "; ".join(statuses),
        "no-disclosure",
    )


PROBES = (error_disclosure,)
