"""Flat exports of trials: CSV for spreadsheets, one row per trial."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from framematrix.trials import PERCENTILES, TrialResult

COLUMNS = (
    "contestant",
    "server",
    "db",
    "workers",
    "scenario",
    "engine",
    "concurrency",
    "rate",
    "tuning",
    "version_set",
    "replica",
    "trial",
    "ok",
    "reason",
    "requests",
    "duration_s",
    "rps",
    *(f"{p}_ms" for p in PERCENTILES),
    "max_ms",
    "errors",
    "server_pss_mb",
    "server_pss_peak_mb",
    "workers_pss_mb",
    "supervisor_pss_mb",
    "uss_per_worker_mb",
    "server_cpu_s_per_1k",
    "engine_cpu_s",
    "engine_saturated",
)


def row(result: TrialResult) -> dict[str, object]:
    data = result.to_dict()
    for name in (*PERCENTILES, "max"):
        data[f"{name}_ms"] = result.latency_ms.get(name)
    return {column: data.get(column) for column in COLUMNS}


def write_csv(results: Iterable[TrialResult], out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for result in results:
        writer.writerow(row(result))
