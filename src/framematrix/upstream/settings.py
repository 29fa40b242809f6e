"""Where a contestant finds the upstream, and how long it waits: two environment variables.

The launcher (`framematrix serve --upstream`, the runner, `verify`) sets them; every contestant
reads them through `UpstreamSettings.from_env()`, so all of them reach the same service with
the same timeout (contract/RULES.md, rules 25-31).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from framematrix.errors import FramematrixError

URL_ENV = "FRAMEMATRIX_UPSTREAM_URL"
"""The upstream's base URL, `http://host:port`; unset means no upstream (every call is 502)."""
TIMEOUT_ENV = "FRAMEMATRIX_UPSTREAM_TIMEOUT_S"
"""Seconds a contestant waits for the upstream to connect and to answer before giving 504."""
DEFAULT_TIMEOUT_S = 2.0
MAX_CONNECTIONS = 100
"""Pooled keep-alive connections per client (one client per worker), for every contestant:
httpx's default total, with every one of them allowed to stay alive."""


@dataclass(frozen=True)
class UpstreamSettings:
    url: str
    """Base URL without a trailing slash; "" when no upstream is configured."""
    timeout_s: float = DEFAULT_TIMEOUT_S

    def __post_init__(self) -> None:
        if self.url:
            parts = urlsplit(self.url)
            if parts.scheme != "http" or not parts.hostname:
                raise FramematrixError(f"bad upstream URL {self.url!r}: use http://HOST:PORT")
        if not (math.isfinite(self.timeout_s) and self.timeout_s > 0):
            raise FramematrixError(f"the upstream timeout must be positive, not {self.timeout_s}")

    @classmethod
    def from_env(cls) -> UpstreamSettings:
        """What a contestant process was started with."""
        raw = os.environ.get(TIMEOUT_ENV) or str(DEFAULT_TIMEOUT_S)
        try:
            timeout = float(raw)
        except ValueError:
            raise FramematrixError(
                f"{TIMEOUT_ENV} must be a number of seconds, not {raw!r}"
            ) from None
        return cls(os.environ.get(URL_ENV, "").rstrip("/"), timeout)

    def env(self) -> dict[str, str]:
        """The environment a launcher gives a contestant (for `ServerConfig.env`)."""
        return {URL_ENV: self.url, TIMEOUT_ENV: repr(self.timeout_s)}

    def profile_url(self, author_id: int) -> str:
        """Rule 25: the one upstream request of `GET /authors/{id}/profile`."""
        return f"{self.url}/profiles/{author_id}"
