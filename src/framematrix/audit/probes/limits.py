"""Whether the server limits how fast one client may call it: a burst of requests from one
address, as a scraper or a password-guessing script sends them, should meet 429 (or 503 with
Retry-After) somewhere. Informational: neither the Observatory nor framematrix scores it."""

from __future__ import annotations

from framematrix.audit.context import Context
from framematrix.audit.model import ProbeResult

BURST = 60
"""Requests sent back to back: over any per-second or per-minute limit a project would set
for one client, and well under a second of work for every contestant."""


def rate_limit(ctx: Context) -> ProbeResult:
    name = "rate-limit"
    client = ctx.client()
    for sent in range(1, BURST + 1):
        response = client.request("GET", ctx.page_path)
        if response.status == 429 or (response.status == 503 and response.header("retry-after")):
            return ProbeResult(
                name, True, f"request {sent} of a burst -> {response.status}", "rate-limited"
            )
    return ProbeResult(
        name, False, f"{BURST} requests back to back to {ctx.page_path}: none limited", "no-limit"
    )


PROBES = (rate_limit,)
