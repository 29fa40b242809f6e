"""Load engines: every engine's name and where its module lives.

Adding an engine is one module (a subclass of `base.LoadEngine`) plus one entry here. Modules are
imported only when their engine is asked for. `--engine` chooses among the HTTP engines; the
realtime engine (WebSockets) drives the `iot` points whatever `--engine` says.
"""

from __future__ import annotations

import importlib

from framematrix.engines.base import LoadEngine
from framematrix.errors import FramematrixError

REALTIME = "realtime"
"""The engine of the scenarios of the realtime workload (`iot`)."""
ENGINES: dict[str, str] = {
    "builtin": "framematrix.engines.builtin:BuiltinEngine",
    "wrk": "framematrix.engines.wrk:WrkEngine",
    "ab": "framematrix.engines.ab:AbEngine",
    "locust": "framematrix.engines.locust.engine:LocustEngine",
    REALTIME: "framematrix.engines.realtime:RealtimeEngine",
}


def get_engine(name: str, options: object = None) -> LoadEngine:
    """The engine `name`, made with `options`, its own options record (`LocustOptions`,
    `RealtimeOptions`) if it has one."""
    try:
        module, attribute = ENGINES[name].split(":")
    except KeyError:
        raise FramematrixError(f"unknown engine {name!r}; known: {', '.join(choices())}") from None
    factory = getattr(importlib.import_module(module), attribute)
    engine: LoadEngine = factory() if options is None else factory(options)
    return engine


def choices() -> list[str]:
    """The engines `--engine` may name."""
    return [name for name in ENGINES if name != REALTIME]


def choose_engine(name: str | None) -> str:
    """`--engine`: the name given, or the default, checked."""
    chosen = name or default_engine()
    if chosen not in choices():
        raise FramematrixError(f"unknown engine {chosen!r}; known: {', '.join(choices())}")
    return chosen


def default_engine() -> str:
    """wrk when it is installed (fastest), else the always-available builtin engine."""
    ok, _ = get_engine("wrk").available()
    return "wrk" if ok else "builtin"
