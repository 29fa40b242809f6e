"""In a fresh interpreter: how long importing one contestant's app takes (timed first, before
anything else is imported: the cold start's import time), then the contract's read checks
through its framework's test client where it has one, printed as JSON.

`python -m framematrix.measure.testclient CONTESTANT MODULE:ATTRIBUTE [factory]`. Only the
standard library is imported at the top, so nothing the app needs is loaded before it is timed.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from typing import Any


def import_app(spec: str, factory: bool) -> float:
    """Seconds to import `module:attribute` (and call it, for a factory)."""
    began = time.perf_counter()
    module, _, name = spec.partition(":")
    app = getattr(importlib.import_module(module), name)
    if factory:
        app()
    return time.perf_counter() - began


def read_checks(contestant: str) -> dict[str, Any]:
    """The contract's read checks through the framework's test client (`setups.SETUPS`)."""
    from framematrix.contract.checks import CHECKS
    from framematrix.contract.context import Context
    from framematrix.contract.suite import run_check
    from framematrix.measure.testclient.setups import ADAPTERS, READ_CHECKS, SETUPS, InProcess

    _, setup, _ = SETUPS[contestant]
    began = time.perf_counter()
    client = setup()
    setup_s = time.perf_counter() - began
    ctx = Context(InProcess(ADAPTERS[contestant](client)))
    checks = []
    for name, check in CHECKS:
        if check.__name__ not in READ_CHECKS:
            continue
        sent, began = len(ctx.client.log), time.perf_counter()
        result = run_check(ctx, name, check)
        checks.append(
            {
                "name": name,
                "passed": result.passed,
                "detail": result.detail[:300],
                "seconds": round(time.perf_counter() - began, 4),
                "requests": len(ctx.client.log) - sent,
            }
        )
    ctx.cleanup()
    return {"setup_s": round(setup_s, 4), "checks": checks}


if __name__ == "__main__":
    contestant, app, *how = sys.argv[1:]
    found: dict[str, Any] = {"import_s": round(import_app(app, how == ["factory"]), 4)}
    if contestant:
        found.update(read_checks(contestant))
    print(json.dumps(found))
