"""Capacity and cost: workers, cores and memory for a peak load, and what they cost a month.

The model (printed with every plan):
    rps_per_core   = 1000 / server CPU seconds per 1,000 requests     (measured run)
                   = article req/s / the article's 4 cores            (article figures)
    rps_per_worker = measured req/s / measured workers
                   = rps_per_core                                     (article: 1 worker per core)
    cores   = ceil(peak_rps / (rps_per_core   * HEADROOM)), at least 1
    workers = ceil(peak_rps / (rps_per_worker * HEADROOM)), at least 1
    memory  = base + per_worker * workers, where per_worker is the USS of one worker and base is
              the rest of the measured PSS (article: its total / 4 per worker, base 0)
    cost    = cores * price_vcpu_month + memory_GB * price_gb_month
The p95 target is judged at the measured load only: a figure measured above the target is
flagged, never extrapolated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from framematrix.claims.article import ARTICLE
from framematrix.decide.evidence import Evidence
from framematrix.decide.knowledge import KnowledgeBase

HEADROOM = 0.7
"""Plan for 70% utilisation at peak, leaving room for bursts and deploys."""
MODEL = (
    f"cores = ceil(peak_rps / (rps_per_core * {HEADROOM})); "
    f"workers = ceil(peak_rps / (rps_per_worker * {HEADROOM})); "
    "memory = base + per_worker * workers; "
    "cost = cores * price_vcpu_month + memory_GB * price_gb_month"
)


@dataclass(frozen=True)
class Basis:
    """What one framework's plan rests on."""

    source: str
    rps: float
    p95_ms: float | None
    concurrency: int | None
    rps_per_core: float
    rps_per_worker: float
    base_mb: float
    per_worker_mb: float


@dataclass(frozen=True)
class Plan:
    framework: str
    basis: Basis
    workers: int
    cores: int
    memory_mb: float
    monthly_usd: float
    meets_p95: bool | None
    article_usd_per_month: float | None
    """None for a framework the article does not compare."""
    article_workers: int | None


def _ceil(x: float) -> int:
    return max(1, math.ceil(x - 1e-9))


def measured_basis(evidence: Evidence, framework: str) -> Basis:
    e = evidence.frameworks[framework]
    workers = e.workers or 1
    per_worker = e.rps / workers
    per_core = 1000.0 / e.cpu_s_per_1k if e.cpu_s_per_1k else per_worker
    pss = e.pss_mb or 0.0
    uss = e.uss_per_worker_mb if e.uss_per_worker_mb is not None else pss / workers
    return Basis(
        e.describe(evidence.run_id),
        e.rps,
        e.p95_ms,
        e.point.at.concurrency,
        per_core,
        per_worker,
        max(pss - uss * workers, 0.0),
        uss,
    )


def article_basis(framework: str) -> Basis:
    setup = ARTICLE.setup
    rps = ARTICLE.figure("rps").values[framework]
    per_core = rps / setup.cores
    return Basis(
        f"article § {ARTICLE.figure('rps').section} ({setup.describe()}); "
        "one worker per core assumed",
        rps,
        ARTICLE.figure("p95_ms").values[framework],
        setup.concurrency,
        per_core,
        per_core,
        0.0,
        ARTICLE.figure("memory_mb").values[framework] / setup.cores,
    )


def plan(
    framework: str,
    basis: Basis,
    peak_rps: float,
    p95_target_ms: float,
    price_vcpu_month: float,
    price_gb_month: float,
) -> Plan:
    cores = _ceil(peak_rps / (basis.rps_per_core * HEADROOM))
    workers = _ceil(peak_rps / (basis.rps_per_worker * HEADROOM))
    memory_mb = basis.base_mb + basis.per_worker_mb * workers
    cost = cores * price_vcpu_month + memory_mb / 1024 * price_gb_month
    meets = None if basis.p95_ms is None else basis.p95_ms <= p95_target_ms
    hosting = ARTICLE.figure("hosting_usd_per_month")
    article_workers = hosting.extra["workers"].get(framework)
    return Plan(
        framework,
        basis,
        workers,
        cores,
        memory_mb,
        cost,
        meets,
        hosting.values.get(framework),
        None if article_workers is None else int(article_workers),
    )


def plans(
    kb: KnowledgeBase,
    evidence: Evidence | None,
    peak_rps: float,
    p95_target_ms: float,
    price_vcpu_month: float,
    price_gb_month: float,
) -> list[Plan]:
    """One plan per framework: from the run where it measured the framework, else the article
    (none for a framework beyond the article that the run did not measure)."""
    result = []
    for f in kb.order:
        if evidence is not None and f in evidence.frameworks:
            basis = measured_basis(evidence, f)
        elif f in kb.article_order:
            basis = article_basis(f)
        else:
            continue
        result.append(plan(f, basis, peak_rps, p95_target_ms, price_vcpu_month, price_gb_month))
    return result
