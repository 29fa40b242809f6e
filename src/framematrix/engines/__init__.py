"""Load engines: every name the `--engine` option takes, and where its module lives.

Adding an engine is one module (implementing `base.LoadEngine`) plus one entry here.
Modules are imported only when their engine is asked for.
The realtime engine (`engines/realtime/`, WebSockets) is a second kind of engine: it does not
implement this seam and is not listed here; callers use its `run_iot` directly.
"""

from __future__ import annotations

import importlib

from framematrix.engines.base import LoadEngine
from framematrix.errors import FramematrixError

ENGINES: dict[str, str] = {
    "builtin": "framematrix.engines.builtin:BuiltinEngine",
    "wrk": "framematrix.engines.wrk:WrkEngine",
    "ab": "framematrix.engines.ab:AbEngine",
    "locust": "framematrix.engines.locust:LocustEngine",
}


def get_engine(name: str) -> LoadEngine:
    try:
        module, attribute = ENGINES[name].split(":")
    except KeyError:
        known = ", ".join(ENGINES)
        raise FramematrixError(f"unknown engine {name!r}; known: {known}") from None
    engine: LoadEngine = getattr(importlib.import_module(module), attribute)()
    return engine


def default_engine() -> str:
    """wrk when it is installed (fastest), else the always-available builtin engine."""
    ok, _ = get_engine("wrk").available()
    return "wrk" if ok else "builtin"
