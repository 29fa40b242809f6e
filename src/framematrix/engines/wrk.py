"""wrk: the fastest engine, driven by a Lua script generated from the scenario.

wrk is closed loop only (C connections, each sending its next request when the last one is
answered); for a fixed rate use the builtin engine. wrk runs one thread per load core (the
cores given; `--load-processes` does not apply to it), connections = the concurrency. The
script's `done()` prints one JSON line with the summary, the statuses and the latency
distribution, turned here into the common HdrHistogram form.

Warm-up is a separate wrk run before the measured one, so the measured window starts on new
connections (every result says so). One run cannot leave its warm-up out: wrk records every
latency in C, from the connection's own send time, and the Lua script can neither reset that
histogram nor time requests itself, because wrk 4.1's `response()` is not told which request
(or connection) it answers; a clock alone (LuaJIT's FFI has one) could count responses after
the warm-up but not their latencies. `on_measuring` is called just before the measured run
starts.

wrk back-fills its closed-loop latencies before `done()` sees them (`stats_correct`: every
latency above twice the mean interval per connection gains synthetic companions below it). The
script reads wrk's exact per-microsecond buckets and `uncorrect` removes those companions, so
wrk's histogram holds measured latencies only, like builtin's closed loop. When the buckets
would be too slow to read (very wide latency spreads), ~700 percentiles are read instead and
the back-fill stays in (the result says so).
"""

from __future__ import annotations

import json
import math
import secrets
import tempfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from hdrh.histogram import HdrHistogram

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

MARK = "FRAMEMATRIX-WRK "
PROGRESS = "fm-progress "
PROGRESS_EVERY = 200
"""Responses per thread between two progress lines on stderr."""
BUCKET_BUDGET = 3_000_000_000
"""Reading wrk's buckets costs (distinct values x span in µs) steps; above: percentiles."""
GRACE_S = 30.0
"""How long past its duration wrk may take (connecting, done()) before it is stopped."""


def percentile_grid() -> list[float]:
    """Every 0.5 % up to 90 %, then 90 points per decade of nines: 90-99 %, 99-99.9 %, ..."""
    points = [i * 0.5 for i in range(1, 180)]
    for nines in range(1, 7):
        low, step = 100 - 10.0 ** (2 - nines), 10.0**-nines
        points += [round(low + i * step, nines + 1) for i in range(90)]
    return sorted(set(points))


def wrk_rank(percentile: float, total: int) -> int:
    """Which request wrk's `latency:percentile(p)` reports: C's round(p/100 * n + 0.5)."""
    return math.floor(percentile / 100 * total + 1)


@dataclass(frozen=True)
class WrkReport:
    """What the script's `done()` printed."""

    duration_us: int
    requests: int
    statuses: dict[int, int]
    errors: dict[str, int]
    max_us: int
    buckets: dict[int, int]
    """Exact latency counts per microsecond, as wrk holds them (back-fill included)."""
    percentiles: list[tuple[float, float]]
    """Only when the buckets were too costly to read."""


def parse(stdout: str) -> WrkReport:
    """Read the one JSON line our script prints; MeasurementError when it is missing or bad."""
    line = next((ln for ln in stdout.splitlines() if ln.startswith(MARK)), None)
    if line is None:
        raise MeasurementError("wrk printed no result line: " + _first_line(stdout))
    try:
        data: dict[str, Any] = json.loads(line[len(MARK) :])
        errors = data["errors"]
        latency = data["latency"]
        return WrkReport(
            duration_us=int(data["duration_us"]),
            requests=int(data["requests"]),
            statuses={int(code): int(n) for code, n in data["statuses"].items()},
            errors={
                "connect": int(errors["connect"]),
                "read": int(errors["read"]) + int(errors["write"]),
                "timeout": int(errors["timeout"]),
            },
            max_us=int(latency["max"]),
            buckets={int(value): int(count) for value, count in latency["buckets"]},
            percentiles=[(float(p), float(v)) for p, v in latency["percentiles"]],
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise MeasurementError(f"wrk's result line is malformed ({exc}): {line[:120]}") from None


def uncorrect(buckets: dict[int, int], interval: int) -> dict[int, int]:
    """Undo wrk's `stats_correct(latency, interval)`, exactly.

    wrk added, for each latency n >= 2 * interval, one sample at each n - k * interval above
    `interval`. So the back-fill at m is S(m) = D(m + interval) + S(m + interval) for
    m > interval, and the measured count D(m) = wrk's count - S(m), from the top down.
    """
    if interval <= 0:
        return dict(buckets)
    measured: dict[int, int] = {}
    backfill: dict[int, int] = {}
    for value in sorted(buckets, reverse=True):
        above = value + interval
        added = measured.get(above, 0) + backfill.get(above, 0) if value > interval else 0
        backfill[value] = added
        if buckets[value] < added:
            raise MeasurementError("wrk's latency buckets do not match its correction rule")
        if buckets[value] > added:
            measured[value] = buckets[value] - added
    return measured


def histogram_of(report: WrkReport, connections: int) -> tuple[HdrHistogram, list[str]]:
    """The measured latencies as an HdrHistogram, and a warning when that was not possible."""
    if report.buckets:
        interval = report.duration_us // (report.requests // connections or 1)
        histogram = hist.new()
        for value, count in uncorrect(report.buckets, interval).items():
            hist.record(histogram, value, count)
        return histogram, []
    if not report.percentiles:
        return hist.new(), []
    histogram = hist.from_percentiles(
        report.percentiles, report.requests, report.max_us, rank=wrk_rank
    )
    return histogram, [
        "wrk's latencies were too widely spread to read exactly: its percentiles include "
        "wrk's own back-fill of latencies above twice the mean"
    ]


def lua_value(value: object) -> str:
    """A Python literal (str, int, float, bool, None, list, dict) as Lua source."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        escaped = "".join(
            ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else f"\\{ord(ch):03d}"
            for ch in value
        )
        return f'"{escaped}"'
    if isinstance(value, list | tuple):
        return "{" + ", ".join(lua_value(item) for item in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua_value(k)}] = {lua_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Lua form for {type(value).__name__}")


def script(plan: LoadPlan, run_token: str) -> str:
    """The Lua script that runs `plan.scenario` under wrk."""
    if any(ord(ch) > 127 for step in plan.scenario.steps for ch in step.path + (step.body or "")):
        raise FramematrixError("the wrk script builds requests as bytes: keep templates ASCII")
    headers = {"Host": plan.netloc}
    if plan.connection_per_request:
        headers["Connection"] = "close"
    config = {
        "steps": [
            {"method": s.method, "path": s.path, "body": s.body, "expect": s.expect}
            for s in plan.scenario.steps
        ],
        "success": sorted(plan.scenario.success),
        "authors": plan.seed_size.authors,
        "seed": plan.seed,
        "run": run_token,
        "prefix": plan.prefix,
        "headers": headers,
        "percentiles": percentile_grid(),
        "bucket_budget": BUCKET_BUDGET,
        "progress_every": PROGRESS_EVERY,
    }
    template = resources.files("framematrix.engines").joinpath("wrk_scenario.lua").read_text()
    return template.replace("@CONFIG@", lua_value(config))


class WrkEngine(LoadEngine):
    name = "wrk"

    def available(self) -> tuple[bool, str]:
        return tool.on_path("wrk", "wrk")

    def check(self, plan: LoadPlan) -> None:
        tool.closed_loop_only("wrk", plan, ", or --engine builtin for --rate")

    def send(
        self, plan: LoadPlan, on_progress: Progress | None, on_measuring: Measuring | None
    ) -> EngineResult:
        assert plan.concurrency is not None
        threads = _threads(plan.cores, plan.concurrency)
        warnings: list[str] = []
        seconds = tool.whole_seconds("wrk", plan.duration_s, warnings)
        if plan.processes > 1:
            warnings.append(
                "wrk runs one thread per load core: --load-processes does not apply to it "
                "(give it more load cores with --cpus)"
            )
        with tempfile.TemporaryDirectory(prefix="fm-wrk-") as folder:
            # Each wrk process gets its own run token: the warm-up's flows stop mid-way and
            # leave authors behind, whose emails the measured run must not make again (409s).
            measured, warm = Path(folder) / "scenario.lua", Path(folder) / "warmup.lua"
            measured.write_text(script(plan, secrets.token_hex(3)))
            warm.write_text(script(plan, secrets.token_hex(3)))
            # packed by hand: an option and its value per row
            argv = [
                "wrk",
                "-t", str(threads),
                "-c", str(plan.concurrency),
                "--timeout", f"{max(1, math.ceil(plan.timeout_s))}s",
                "-s",
            ]  # fmt: skip
            ticks = _Ticks(on_progress)
            if plan.warmup_s > 0:
                warmup = max(1, math.ceil(plan.warmup_s))
                self._wrk([*argv, str(warm), plan.base_url, "-d", f"{warmup}s"], plan, ticks)
                ticks.next_phase()
                warnings.append(tool.separate_warmup("wrk", warmup, plan))
            if on_measuring is not None:
                on_measuring()
            done = self._wrk(
                [*argv, str(measured), plan.base_url, "-d", f"{seconds}s"], plan, ticks
            )
        report = parse(done.stdout)
        errors = {
            f"status:{code}": n
            for code, n in report.statuses.items()
            if code not in plan.scenario.success
        }
        errors.update({kind: n for kind, n in report.errors.items() if n})
        histogram, notes = histogram_of(report, plan.concurrency)
        warnings += notes
        return EngineResult(
            engine=self.name,
            requests=report.requests,
            duration_s=report.duration_us / 1e6,
            histogram=histogram,
            errors=errors,
            engine_cpu_s=done.cpu_s,
            cores=threads,
            warnings=tuple(warnings),
        )

    @staticmethod
    def _wrk(argv: list[str], plan: LoadPlan, ticks: _Ticks) -> tool.ToolRun:
        seconds = int(argv[-1].removesuffix("s"))
        done = tool.run(argv, cpus=plan.cpus, limit_s=seconds + GRACE_S, on_stderr_line=ticks.line)
        if done.returncode != 0 or MARK not in done.stdout:
            lines = [ln for ln in done.stderr.splitlines() if not ln.startswith(PROGRESS)]
            why = _first_line("\n".join(lines) or done.stdout)
            raise MeasurementError(f"wrk failed (exit code {done.returncode}): {why}")
        return done


class _Ticks:
    """Turns the script's progress lines into (elapsed, responses) calls."""

    def __init__(self, on_progress: Progress | None) -> None:
        self.on_progress = on_progress
        self.started = time.monotonic()
        self.earlier = 0
        self.latest: dict[str, int] = {}

    def line(self, text: str) -> None:
        if not text.startswith(PROGRESS) or self.on_progress is None:
            return
        _, thread, count = text.split()
        self.latest[thread] = int(count)
        self.on_progress(time.monotonic() - self.started, self.earlier + sum(self.latest.values()))

    def next_phase(self) -> None:
        self.earlier += sum(self.latest.values())
        self.latest.clear()


def _threads(cores: int, connections: int) -> int:
    """wrk gives each thread connections // threads: pick a thread count that divides evenly."""
    for threads in range(min(cores, connections), 0, -1):
        if connections % threads == 0:
            return threads
    return 1


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0][:200] if lines else "(no output)"
