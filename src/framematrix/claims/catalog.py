"""The article's measurable claims, as data: what each says, where, and how it is judged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from framematrix.claims.article import ARTICLE

Better = Literal["higher", "lower"]
Kind = Literal[
    "order", "ratio", "leads", "shines", "async-needed", "code-order", "native", "at-least"
]


@dataclass(frozen=True)
class Claim:
    id: str
    text: str
    section: str
    kind: Kind
    metric: str | None = None
    """A PointSummary field: `rps`, `p95_ms`, `workers_pss_mb`."""
    order: tuple[str, ...] = ()
    """Best first."""
    better: Better = "higher"
    ratio: float | None = None
    """For ratio claims: order[0] over order[1], as the article's figures give it; for
    `at-least`: the figure order[0] reaches."""
    workloads: tuple[str, ...] = ()
    """The workload groups (`GROUPS`) it is also judged on, each at its own reference point."""
    only: str | None = None
    """The one workload group it is about (the realtime claims); None: the run's reference."""


GROUPS: dict[str, tuple[str, ...]] = {
    "db-read": ("list-posts", "read-one"),
    "crud": ("crud", "write"),
    "upstream": ("upstream",),
    "image": ("image",),
    "realtime": ("iot",),
}
"""What a performance claim is judged on, one verdict each: reading from the database, the
article's create-read-update-delete, waiting on another service, computing, and WebSockets."""
HTTP_GROUPS = ("db-read", "crud", "upstream", "image")

RPS, P95, MEMORY, LOC = (ARTICLE.figure(key) for key in
                         ("rps", "p95_ms", "memory_mb", "lines_of_code"))  # fmt: skip
BY_SPEED = ("fastapi", "flask", "django")
BY_LOC = ("django", "flask", "fastapi")
LOC_LISTING = " / ".join(f"~{LOC.values[name]:.0f}" for name in BY_LOC)
HIGH_RPS = 10_000.0
"""The IoT success story: "handles 10,000+ requests/sec on modest hardware"."""

CLAIMS: tuple[Claim, ...] = (
    Claim("rps-order", "FastAPI serves the most requests per second, then Flask, then Django "
          f"({RPS.listing(BY_SPEED)})", RPS.section, "order", "rps", BY_SPEED,
          workloads=HTTP_GROUPS),
    Claim("rps-fastapi-django",
          f"FastAPI serves {RPS.ratio('fastapi', 'django'):.2f}x Django's requests per second",
          RPS.section, "ratio", "rps", ("fastapi", "django"),
          ratio=RPS.ratio("fastapi", "django"), workloads=HTTP_GROUPS),
    Claim("rps-flask-django",
          f"Flask serves {RPS.ratio('flask', 'django'):.2f}x Django's requests per second",
          RPS.section, "ratio", "rps", ("flask", "django"), ratio=RPS.ratio("flask", "django"),
          workloads=HTTP_GROUPS),
    Claim("p95-order", "95th-percentile latency is lowest with FastAPI, then Flask, then Django "
          f"({P95.listing(BY_SPEED)} ms)", P95.section, "order", "p95_ms", BY_SPEED, "lower",
          workloads=HTTP_GROUPS),
    Claim("memory-order", "FastAPI uses the least memory, then Flask, then Django "
          f"({MEMORY.listing(BY_SPEED)} MB)", MEMORY.section, "order", "workers_pss_mb",
          BY_SPEED, "lower", workloads=HTTP_GROUPS),
    Claim("fastapi-shines-1000", "FastAPI shines at 1000+ concurrent requests",
          "Performance Benchmarks: Reality Check", "shines", "rps", BY_SPEED,
          workloads=HTTP_GROUPS),
    Claim("async-for-1000-rps", "Needing 1000+ requests/second calls for FastAPI (async)",
          "Quick Decision Tree; Final Verdict", "async-needed", "rps", workloads=HTTP_GROUPS),
    Claim("code-order", "Django needs the least code, then Flask, then FastAPI "
          f"({LOC_LISTING} lines)", LOC.section, "code-order", None, BY_LOC, "lower"),
    Claim("websocket-native", "FastAPI's WebSocket support is native (no extension needed)",
          "Real-World Use Cases: When FastAPI Won", "native", only="realtime"),
    Claim("realtime-fastapi", "Real-time applications call for FastAPI: it delivers live "
          "updates with the lowest latency", "Performance Benchmarks: Reality Check", "leads",
          "p95_ms", ("fastapi", "flask", "django"), "lower", only="realtime"),
    Claim("fastapi-10k", f"FastAPI handles {HIGH_RPS:,.0f}+ requests/sec on modest hardware",
          "Real-World Use Cases: When FastAPI Won", "at-least", "rps", ("fastapi",),
          ratio=HIGH_RPS),
)  # fmt: skip
