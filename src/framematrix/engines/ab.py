"""ab (ApacheBench): the article's own tool, for fidelity runs of GET scenarios.

Its caveats, also attached to every result as warnings:
- it speaks HTTP/1.0; connections are kept alive only with `-k` (used unless a new connection
  per request is asked for), and then only when the server answers `Connection: keep-alive`;
- it sends one URL for the whole run: `read-one` reads the same author (picked from the seed)
  every time, so the database serves it from cache; flows and bodies (crud, write) are refused;
- it reports non-2xx responses without their status codes (`status:non-2xx`);
- its latency distribution is 101 percentiles (`-e`), so the histogram is rebuilt at 1 % steps;
- it runs whole seconds and on one core; it is closed loop only;
- it cannot run a warm-up and then measure on the same connections: the warm-up is a separate
  ab run, and the measured window starts on new connections (the result says so);
  `on_measuring` is called just before the measured run starts.
"""

from __future__ import annotations

import math
import random
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from framematrix.engines import histogram as hist
from framematrix.engines import tool
from framematrix.engines.base import (
    EngineResult,
    LoadEngine,
    LoadPlan,
    Measuring,
    Progress,
)
from framematrix.errors import FramematrixError, MeasurementError

GRACE_S = 30.0
MAX_RATE = 200_000
"""Requests per second ab is told it may send (`-n`); far above what it can reach."""
CAVEATS = (
    "ab speaks HTTP/1.0 and keeps connections alive only with -k",
    "ab reports the latency distribution at 1 % steps only",
)


@dataclass(frozen=True)
class AbReport:
    duration_s: float
    requests: int
    errors: dict[str, int]
    longest_ms: float


def parse_report(stdout: str) -> AbReport:
    """ab's text summary: duration, complete requests, failures by kind, non-2xx."""

    def number(label: str, default: str | None = None) -> float:
        found = re.search(rf"^{re.escape(label)}:\s+([\d.]+)", stdout, re.MULTILINE)
        if found is None:
            if default is None:
                raise MeasurementError(f"ab printed no {label!r}: " + _first_line(stdout))
            return float(default)
        return float(found.group(1))

    errors = {"status:non-2xx": int(number("Non-2xx responses", "0"))}
    failed = re.search(
        r"\(Connect: (\d+), Receive: (\d+), Length: (\d+), Exceptions: (\d+)\)", stdout
    )
    if failed is not None:
        connect, receive, _length, exceptions = (int(x) for x in failed.groups())
        errors.update(connect=connect, read=receive + exceptions)
    longest = re.search(r"^\s*100%\s+(\d+)", stdout, re.MULTILINE)
    return AbReport(
        duration_s=number("Time taken for tests"),
        requests=int(number("Complete requests")),
        errors={kind: n for kind, n in errors.items() if n},
        longest_ms=float(longest.group(1)) if longest else 0.0,
    )


def parse_percentiles(csv: str) -> list[tuple[float, float]]:
    """ab's `-e` file: `percent,milliseconds` rows -> (percent, microseconds)."""
    points = []
    for line in csv.strip().splitlines()[1:]:
        percent, _, millis = line.partition(",")
        try:
            points.append((float(percent), float(millis) * 1000))
        except ValueError:
            raise MeasurementError(f"ab's percentile file has a bad row: {line!r}") from None
    if not points:
        raise MeasurementError("ab's percentile file is empty")
    return points


def ab_rank(percent: float, total: int) -> int:
    """Which request ab's `-e` row reports: index (int)(0.5 + n * p / 100), counted from 0."""
    return math.floor(0.5 + total * percent / 100) + 1


class AbEngine(LoadEngine):
    name = "ab"

    def available(self) -> tuple[bool, str]:
        return tool.on_path("ab", "apache2-utils")

    def check(self, plan: LoadPlan) -> None:
        tool.closed_loop_only("ab", plan)
        self._url(plan)

    def send(
        self, plan: LoadPlan, on_progress: Progress | None, on_measuring: Measuring | None
    ) -> EngineResult:
        url, warnings = self._url(plan)
        seconds = tool.whole_seconds("ab", plan.duration_s, warnings)
        done, warmup = 0, 0
        if plan.warmup_s > 0:
            warmup = max(1, math.ceil(plan.warmup_s))
            done += self._ab(plan, url, warmup)[0].requests
            if on_progress is not None:
                on_progress(warmup, done)
            warnings.append(tool.separate_warmup("ab", warmup, plan))
        if on_measuring is not None:
            on_measuring()
        report, points, cpu_s = self._ab(plan, url, seconds)
        if on_progress is not None:
            on_progress(warmup + report.duration_s, done + report.requests)
        longest_us = max([report.longest_ms * 1000, *(value for _, value in points)])
        histogram = hist.from_percentiles(points, report.requests, longest_us, rank=ab_rank)
        return EngineResult(
            engine=self.name,
            requests=report.requests,
            duration_s=report.duration_s,
            histogram=histogram,
            errors=report.errors,
            engine_cpu_s=cpu_s,
            cores=1,
            warnings=(*CAVEATS, *warnings),
        )

    @staticmethod
    def _url(plan: LoadPlan) -> tuple[str, list[str]]:
        scenario = plan.scenario
        if scenario.is_flow or not scenario.only_get:
            raise FramematrixError(
                f"ab sends one GET URL per run; scenario {scenario.name!r} needs "
                "other methods or several steps: use --engine builtin or wrk"
            )
        path = scenario.steps[0].path
        warnings = []
        if "{author}" in path:
            author = random.Random(plan.seed).randint(1, plan.seed_size.authors)
            path = path.replace("{author}", str(author))
            warnings.append(f"ab sends one URL: every request read author {author}")
        return plan.base_url.rstrip("/") + path, warnings

    @staticmethod
    def _ab(
        plan: LoadPlan, url: str, seconds: int
    ) -> tuple[AbReport, list[tuple[float, float]], float]:
        assert plan.concurrency is not None
        with tempfile.TemporaryDirectory(prefix="fm-ab-") as folder:
            csv = Path(folder) / "percentiles.csv"
            # packed by hand: an option and its value per row
            argv = [
                "ab", "-q", "-r", "-l",
                "-c", str(plan.concurrency),
                "-t", str(seconds),
                "-n", str(max(plan.concurrency, seconds * MAX_RATE)),
                "-s", str(max(1, math.ceil(plan.timeout_s))),
                "-e", str(csv),
            ]  # fmt: skip
            if not plan.connection_per_request:
                argv.append("-k")
            done = tool.run([*argv, url], cpus=plan.cpus, limit_s=seconds + GRACE_S)
            if done.returncode != 0:
                why = _last_line(done.stderr) or _first_line(done.stdout)
                raise MeasurementError(f"ab failed (exit code {done.returncode}): {why}")
            points = parse_percentiles(csv.read_text()) if csv.exists() else []
        report = parse_report(done.stdout)
        if report.requests and not points:
            raise MeasurementError("ab wrote no percentile file")
        return report, points, done.cpu_s


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0][:200] if lines else "(no output)"


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""
