"""One request, timed alone: what a point slower than its measured window is reported with.

A point whose requests each take longer than the window (the article's own FastAPI code lists
every post in a blocking call) completes nothing in it. That is a finding, not a failure: the
runner times one request of the scenario's first step on a fresh server and the trial says
"slower than one request per N s" with that time.
"""

from __future__ import annotations

import http.client
import time
from urllib.parse import urlsplit

from framematrix.scenarios import Step

PROBE_FIELDS = {"author": 1, "id": 1, "user": 0, "n": 0, "run": "probe"}


def one_request_ms(base_url: str, step: Step, timeout_s: float) -> float | None:
    """Milliseconds one request of `step` took, or None if it had no answer in `timeout_s`."""
    parts = urlsplit(base_url)
    path, body = step.filled(PROBE_FIELDS)
    headers = {"Connection": "close"} | ({"Content-Type": "application/json"} if body else {})
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port or 80, timeout=timeout_s)
    started = time.monotonic()
    try:
        conn.request(step.method, parts.path.rstrip("/") + path, body=body, headers=headers)
        conn.getresponse().read()
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()
    return round((time.monotonic() - started) * 1000, 1)


def describe(window_s: float, taken_ms: float | None) -> str:
    alone = (
        f"one request alone takes {taken_ms / 1000:,.1f} s"
        if taken_ms is not None
        else "one request alone had no answer within a minute"
    )
    return f"slower than one request per {window_s:g} s: {alone}"
