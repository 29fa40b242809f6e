"""How a run's setup differs from the article's, item by item, so no figure is read out of context.

The article states: a CRUD API on a User model, PostgreSQL, 4 cores and 8 GB, 1,000 concurrent
users, Apache Bench. It does not state the servers' worker counts, the Python or framework
versions, how long each test ran, or whether load and server shared the machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from framematrix.claims.article import ARTICLE
from framematrix.trials import TrialResult


def differences(
    plan: Mapping[str, Any], environment: Mapping[str, Any], trials: Iterable[TrialResult]
) -> list[str]:
    trials = list(trials)
    setup = ARTICLE.setup
    found: list[str] = []
    cores = environment.get("cores_usable") or environment.get("cores")
    server_cpus = environment.get("server_cpus")
    if cores != setup.cores or server_cpus:
        share = f"; the server pinned to {len(server_cpus)} of them" if server_cpus else ""
        found.append(f"CPU: {cores or '?'} cores here{share} (article: 4 cores)")
    memory = environment.get("memory_gb")
    if memory != setup.memory_gb:
        found.append(f"memory: {memory or '?'} GB here (article: 8 GB)")
    database = str(environment.get("database") or "unknown")
    if not database.startswith("PostgreSQL"):
        found.append(f"database: {database} (article: PostgreSQL)")
    else:
        found.append(f"database: {database} (article: PostgreSQL, version not stated)")
    engines = sorted({t.point.at.engine for t in trials}) or [str(plan.get("engine", "?"))]
    if engines != ["ab"]:
        found.append(f"load tool: {', '.join(engines)} (article: ab, Apache Bench)")
    concurrencies = sorted({c for t in trials if (c := t.point.at.concurrency) is not None})
    rates = sorted({r for t in trials if (r := t.point.at.rate) is not None})
    if concurrencies != [setup.concurrency] or rates:
        load = ", ".join([f"c={c}" for c in concurrencies] + [f"{r:g} req/s" for r in rates])
        found.append(f"load: {load or '?'} (article: 1,000 concurrent users)")
    scenarios = sorted({t.point.at.scenario for t in trials})
    if scenarios != ["crud"]:
        found.append(f"scenarios: {', '.join(scenarios)} (article: CRUD on a User model only)")
    found.append("model: the contract's authors and posts (article: a User model)")
    if not plan.get("connection_per_request"):
        found.append("connections: kept alive (article: ab without -k opens one per request)")
    found.append(
        "load generator on the same machine as the server, on its own cores (article: not stated)"
    )
    servers = sorted(
        {
            f"{t.point.contestant} on {t.point.server} x{t.workers}"
            for t in trials
            if t.point.server and t.workers
        }
    )
    if servers:
        found.append(f"servers and workers: {'; '.join(servers)} (article: not stated)")
    later = plan.get("rewarmup_s")
    warmup = f"{plan.get('warmup_s', '?')} s" + (f" ({later} s from round 2)" if later else "")
    found.append(
        f"duration: {plan.get('duration_s', '?')} s per trial after {warmup} warm-up, "
        f"{plan.get('trials', '?')} trials each, interleaved (article: not stated)"
    )
    python = environment.get("python")
    if python:
        found.append(f"Python {python} and the versions in the environment (article: not stated)")
    return found
