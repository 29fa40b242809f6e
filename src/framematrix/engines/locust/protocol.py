"""What framematrix and the Locust processes it starts agree on: the locustfile of a trial (the
scenario as data, run by `scenario.py`), the signature a worker must share with its master, the
exit codes of a refusing worker, and the mark of the master's lines to framematrix."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import pprint
from importlib import resources
from typing import Any

from framematrix import __version__
from framematrix.engines.base import LoadPlan
from framematrix.engines.locust.options import Layout

MARK = "FRAMEMATRIX-LOCUST "
REFUSED = 2
"""A worker's exit code when it refuses a locustfile of another framematrix or Locust."""
STALE = 3
"""A worker's exit code when its locustfile is an earlier trial's."""
RESULT_WAIT_S = 10.0
"""How long the master waits for every worker's window after closing it."""
CODE = (("framematrix.engines.locust", "scenario.py"), ("framematrix.engines.builtin", "flows.py"))
"""The modules a locustfile runs beside Locust: (package, file)."""


def signature() -> str:
    """This framematrix's version and the digest of the code a locustfile runs (its own, and the
    walk every engine's users follow): a worker must have the same to run a master's locustfile."""
    digest = hashlib.sha256()
    for package, module in CODE:
        digest.update(resources.files(package).joinpath(module).read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def worker_versions(framematrix: str, locust: str) -> dict[str, str]:
    """What master and worker must share: framematrix's signature, Locust's major.minor."""
    return {"framematrix": framematrix, "locust": ".".join(locust.split(".")[:2])}


def locust_version() -> str | None:
    """The installed Locust's version, without importing it (that would patch this process)."""
    if importlib.util.find_spec("locust") is None:
        return None
    return importlib.metadata.version("locust")


def locustfile(plan: LoadPlan, layout: Layout, trial: str) -> str:
    """The locustfile of one trial: the scenario as data, and the code that runs it."""
    version = locust_version() or "0"
    steps = [
        {
            "method": step.method,
            "path": plan.prefix + step.path,
            "body": step.body,
            "expect": step.expect,
            "carries_id": index == 0 and plan.scenario.is_flow,
        }
        for index, step in enumerate(plan.scenario.steps)
    ]
    config: dict[str, Any] = {
        "framematrix": signature(),
        "locust": worker_versions("", version)["locust"],
        "trial": trial,
        "scenario": plan.scenario.name,
        "steps": steps,
        "success": sorted(plan.scenario.success),
        "authors": plan.seed_size.authors,
        "seed": plan.seed,
        "base_url": f"http://{plan.netloc}",
        "timeout_s": plan.timeout_s,
        "connection_close": plan.connection_per_request,
        "rate_per_user": plan.rate / layout.users if plan.rate is not None else None,
        "warmup_s": plan.warmup_s,
        "duration_s": plan.duration_s,
    }
    return (
        f'"""Scenario {plan.scenario.name!r} for Locust, written by framematrix '
        f"{config['framematrix']} for one trial.\n\nThe scenario is data (from "
        "framematrix.scenarios); the code that runs it is framematrix's own\n"
        '(framematrix/engines/locust/scenario.py), so every worker needs the same framematrix.\n"""'
        "\n\nfrom framematrix.engines.locust.scenario import install\n\n"
        f"CONFIG = {pprint.pformat(config, width=96, sort_dicts=False)}\n\n"
        "ScenarioUser = install(CONFIG)\n"
    )
