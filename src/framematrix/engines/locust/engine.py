"""The locust engine behind the seam: available when Locust is, checks a plan against its
layout, and runs one trial as a master and its workers (see the package's docstring)."""

from __future__ import annotations

import json
import math
import secrets
import sys
import tempfile
from pathlib import Path

from framematrix.engines.base import EngineResult, LoadEngine, LoadPlan, Measuring, Progress
from framematrix.engines.locust.cluster import Cluster
from framematrix.engines.locust.options import Layout, LocustOptions, is_loopback
from framematrix.engines.locust.protocol import locust_version, locustfile
from framematrix.engines.locust.results import engine_result
from framematrix.errors import FramematrixError, MeasurementError

MINIMUM = (2, 47)
INSTALL = "pip install 'framematrix[locust]' (./bootstrap installs it)"
JOIN_TIMEOUT_S = 30.0
"""Workers that have not all joined by then fail the trial."""


class LocustEngine(LoadEngine):
    name = "locust"

    def __init__(
        self, options: LocustOptions | None = None, join_timeout_s: float = JOIN_TIMEOUT_S
    ) -> None:
        self.options = options or LocustOptions()
        self.join_timeout_s = join_timeout_s

    def available(self) -> tuple[bool, str]:
        version = locust_version()
        if version is None:
            return False, f"Locust is not installed: {INSTALL}"
        if tuple(int(part) for part in version.split(".")[:2] if part.isdigit()) < MINIMUM:
            return False, f"Locust {version} is too old: framematrix needs Locust 2.47 or newer"
        return True, ""

    def check(self, plan: LoadPlan) -> None:
        if not plan.scenario.steps:
            raise FramematrixError(
                f"scenario {plan.scenario.name!r} has no HTTP steps for locust to send"
            )
        layout = Layout.of(plan, self.options)
        if layout.workers < 1:
            raise FramematrixError(
                "locust needs a worker: --locust-workers N (here) or --locust-remote-workers N"
            )
        if layout.users < layout.workers:
            raise FramematrixError(
                f"--concurrency {layout.users} is fewer users than the {layout.workers} locust "
                "workers: each worker needs one at least"
            )
        if layout.remote and not is_loopback(layout.host) and is_loopback(plan.host):
            raise FramematrixError(
                f"locust workers on other machines cannot reach {plan.base_url}: give --url "
                "an address they can reach"
            )

    def send(
        self, plan: LoadPlan, on_progress: Progress | None, on_measuring: Measuring | None
    ) -> EngineResult:
        from framematrix.servers import free_port

        layout = Layout.of(plan, self.options)
        port = layout.port or free_port()
        trial = secrets.token_hex(4)
        with tempfile.TemporaryDirectory(prefix="fm-locust-") as folder:
            path = Path(folder) / f"fm_locust_{trial}.py"
            path.write_text(locustfile(plan, layout, trial), encoding="utf-8")
            result = Path(folder) / "result.json"
            # packed by hand: an option and its value per row
            master = [
                sys.executable, "-m", "locust",
                "-f", str(path),
                "--master", "--headless",
                "--master-bind-host", layout.host,
                "--master-bind-port", str(port),
                "--expect-workers", str(layout.workers),
                "--expect-workers-max-wait", str(math.ceil(self.join_timeout_s)),
                "-u", str(layout.users),
                "-r", f"{layout.spawn_rate:g}",
                "-H", plan.base_url,
                "--only-summary",
                "--loglevel", "WARNING",
                "--exit-code-on-error", "0",
                "--stop-timeout", "0",
                "-t", f"{math.ceil(_run_time_s(plan, layout))}s",
                "--fm-trial", trial,
                "--fm-result", str(result),
            ]  # fmt: skip
            worker = [
                sys.executable, "-m", "locust",
                "-f", str(path),
                "--worker",
                "--master-host", layout.connect_host,
                "--master-port", str(port),
                "--loglevel", "WARNING",
            ]  # fmt: skip
            with Cluster(
                Path(folder), plan, layout, master, worker, self.join_timeout_s
            ) as cluster:
                cluster.follow(on_progress, on_measuring)
            if not result.exists():
                raise MeasurementError("locust's master ended without writing the trial's results")
            data = json.loads(result.read_text(encoding="utf-8"))
        return engine_result(data, plan, layout)


def _run_time_s(plan: LoadPlan, layout: Layout) -> float:
    """Locust's own `-t`, a last bound should framematrix's clock in the master never finish."""
    return layout.users / layout.spawn_rate + plan.warmup_s + plan.duration_s + 60
