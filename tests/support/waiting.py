"""A contestant that waits: every answer takes `WAIT_S` of waiting (as a call to a slow service
would), so the threads a server gives it are what its throughput depends on: under gunicorn
gthread, one worker answers as many requests at a time as it has threads.

`python -m support.waiting ARGS` is `framematrix ARGS` with it registered as `waiting` (a
throwaway contestant, as tests/test_extending.py adds one: its module plus one registry record);
the servers it starts import it too, so `tests/` must be on their PYTHONPATH.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import Any

from framematrix.contestants.registry import CONTESTANTS, ContestantSpec

WAIT_S = float(os.environ.get("FRAMEMATRIX_TEST_WAIT_S", "0.01"))
"""How long every answer waits; a test of points slower than their window makes it long."""
BODY = b'{"status": "ok"}'
SPEC = ContestantSpec(
    name="waiting",
    interface="wsgi",
    app="support.waiting:application",
    packages=(),
    summary="a WSGI app whose every answer waits (10 ms unless FRAMEMATRIX_TEST_WAIT_S says)",
    servers=("gunicorn-gthread",),
)


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    time.sleep(WAIT_S)
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(BODY)))])  # fmt: skip
    return [BODY]


if __name__ == "__main__":
    CONTESTANTS[SPEC.name] = SPEC
    from framematrix.cli import app

    app(prog_name="framematrix")
