"""Stored XSS: a post holding `<script>` must come back escaped on the HTML pages that show it."""

from __future__ import annotations

import re

from framematrix.audit.context import Context
from framematrix.audit.model import ProbeResult

NAME = "xss"


def xss(ctx: Context) -> ProbeResult:
    if not ctx.web:
        return ProbeResult.not_applicable(NAME, "no web side (no /posts/{id}/view page)")
    mark = ctx.marker("xss")
    payload = f'<script>alert("{mark}")</script>'
    post_id = ctx.create_post(payload, f"before {payload} after")
    if post_id is None:
        return ProbeResult.cannot_tell(NAME, "the JSON API refused to create the test post")
    raw = re.compile(r"<script>alert\(.{0,8}" + re.escape(mark))
    client = ctx.client()
    view_path = f"/posts/{post_id}/view"
    pages = {view_path: client.request("GET", view_path).text, "/": client.request("GET", "/").text}
    unescaped = [path for path, html in pages.items() if raw.search(html)]
    if unescaped:
        return ProbeResult(
            NAME, False, f"<script> served unescaped on {', '.join(unescaped)}", "xss-reflected"
        )
    if mark not in pages[view_path]:
        return ProbeResult.cannot_tell(NAME, f"{view_path} does not show the post's content")
    return ProbeResult(NAME, True, f"<script> escaped on {', '.join(pages)}", "xss-escaped")


PROBES = (xss,)
