"""What the two baselines share: everything of the contract that is not I/O.

`raw_wsgi` and `raw_asgi` differ only in how they read a request, reach the database and write a
response. Routing, validation, SQL text and JSON encoding live here once, so the two baselines
measure exactly the same work and differ only by their interface (WSGI threads vs ASGI event loop).
"""

from framematrix.contestants.raw_core.api import Api, Step
from framematrix.contestants.raw_core.integrity import violation
from framematrix.contestants.raw_core.response import (
    INTERNAL_ERROR,
    MAX_BODY_BYTES,
    REASONS,
    TOO_LARGE,
    Response,
)
from framematrix.contestants.raw_core.workloads import Fetch, Render, upstream_failed

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
"""Methods whose request body is read; any other method's body is ignored."""

__all__ = [
    "BODY_METHODS",
    "INTERNAL_ERROR",
    "MAX_BODY_BYTES",
    "REASONS",
    "TOO_LARGE",
    "Api",
    "Fetch",
    "Render",
    "Response",
    "Step",
    "upstream_failed",
    "violation",
]
