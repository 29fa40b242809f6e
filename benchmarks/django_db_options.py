"""Django on PostgreSQL: its psycopg pool (as shipped) or persistent connections, client- or
server-side parameter binding. Measured once, to record the choice in FAIRNESS.md.

For each variant of the `django` contestant's DATABASES entry, prints req/s of `list-posts` and
`crud` (gunicorn gthread, one worker on core 0, `framematrix bench --url` from core 1; trials of
the variants interleaved, medians with their ratio to Django's settings as shipped) and the
ledger's database work per request of those scenarios' requests.

    .venv/bin/python benchmarks/django_db_options.py [--admin URL] [--duration 5s] [--rounds 3]

Measures on the embedded PostgreSQL (pinned to core 1, with the load), or with `--admin` on a
database of its own on that server, created and dropped.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import psycopg

from framematrix.db.embedded import EmbeddedPostgres
from framematrix.db.init import init
from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL
from framematrix.measure import ledger
from framematrix.report.ledger_view import cell
from framematrix.servers import RunningServer, ServerConfig, free_port

ROOT = Path(__file__).resolve().parent.parent
VARIANTS: dict[str, dict[str, object]] = {
    "as shipped (pool of 4 = threads, client-side)": {},
    "persistent connections, no pool": {"CONN_MAX_AGE": 600, "OPTIONS": {"pool": False}},
    "pool + server_side_binding": {"OPTIONS": {"server_side_binding": True}},
    "pool + server_side_binding + prepare_threshold 5": {
        # Django passes prepare_threshold=None to psycopg unless OPTIONS names it: no statement
        # is ever prepared otherwise, whatever the binding.
        "OPTIONS": {"server_side_binding": True, "prepare_threshold": 5},
    },
}
SCENARIOS = {
    "list-posts": ("GET /posts?limit=20",),
    "crud": ("POST /authors", "GET /authors/{id}", "PUT /authors/{id}", "DELETE /authors/{id}"),
}
SETTINGS = """
import json, os
from framematrix.contestants.django.settings import *  # noqa: F403
_change = json.loads(os.environ["FRAMEMATRIX_DJANGO_DATABASE"])
DATABASES["default"].update({k: v for k, v in _change.items() if k != "OPTIONS"})  # noqa: F405
DATABASES["default"].setdefault("OPTIONS", {}).update(_change.get("OPTIONS", {}))  # noqa: F405
"""


def variant_env(folder: Path, change: dict[str, object]) -> dict[str, str]:
    """The environment that starts Django with its DATABASES entry changed by `change`."""
    inherited = os.environ.get("PYTHONPATH")
    return {
        "DJANGO_SETTINGS_MODULE": "framematrix_bench_settings",
        "PYTHONPATH": os.pathsep.join([str(folder), *([inherited] if inherited else [])]),
        "FRAMEMATRIX_DJANGO_DATABASE": json.dumps(change),
    }


def req_per_s(url: str, scenario: str, duration: str, out: Path) -> float:
    command = [sys.executable, "-m", "framematrix", "bench", "--url", url,
               "--scenario", scenario, "--concurrency", "16", "--duration", duration,
               "--warmup", "1s", "--trials", "1", "--out", str(out), "--json"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    (trial,) = json.loads(done.stdout)["trials"]
    if not trial["ok"] or trial["errors"]:
        raise SystemExit(f"{scenario} at {url}: {trial['reason'] or trial['errors_by_kind']}")
    return float(trial["rps"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin", help="an external server's admin URL; default: embedded")
    parser.add_argument("--duration", default="5s")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.admin is None:
        with EmbeddedPostgres(cpus=(1,)) as db:
            measure(db, args.duration, args.rounds)
        return 0
    name = f"fm_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.admin, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        measure(DatabaseURL.parse(f"{args.admin.rsplit('/', 1)[0]}/{name}"), args.duration,
                args.rounds)  # fmt: skip
    finally:
        with psycopg.connect(args.admin, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


def measure(db: DatabaseURL, duration: str, rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="framematrix-django-db-") as scratch:
        folder = Path(scratch)
        (folder / "framematrix_bench_settings.py").write_text(SETTINGS)
        init(db, SeedSize())
        run(db, folder, duration, rounds)


def run(db: DatabaseURL, folder: Path, duration: str, rounds: int) -> None:
    rates: dict[tuple[str, str], list[float]] = {}
    for _ in range(rounds):  # A B C D, A B C D, ...: drift hits every variant alike
        for variant, change in VARIANTS.items():
            env = variant_env(folder, change)
            config = ServerConfig("django", "gunicorn-gthread", db.url, port=free_port(),
                                  workers=1, cpus=(0,), env=env)  # fmt: skip
            with RunningServer(config) as server:
                for scenario in SCENARIOS:
                    rate = req_per_s(server.config.url, scenario, duration, folder / "runs")
                    rates.setdefault((variant, scenario), []).append(rate)
    reference = next(iter(VARIANTS))
    print(f"django, gunicorn-gthread, 1 worker, c=16, {duration} x {rounds} interleaved trials")
    print(f"cores: {len(os.sched_getaffinity(0))}, load average: {os.getloadavg()[0]:.2f}\n")
    print(f"{'variant':50} {'scenario':11} {'req/s':>8} {'ratio':>6}  min-max")
    for variant in VARIANTS:
        for scenario in SCENARIOS:
            values = rates[variant, scenario]
            median = statistics.median(values)
            ratio = median / statistics.median(rates[reference, scenario])
            spread = f"{min(values):.0f}-{max(values):.0f}"
            print(f"{variant:50} {scenario:11} {median:8.0f} {ratio:6.2f}  {spread}")
    print("\nledger (round trips / statements / transactions per request; statements prepared;")
    print("the connections used under 16 concurrent requests):")
    for variant, change in VARIANTS.items():
        measured = ledger.measure(["django"], db, env=variant_env(folder, change))
        cells = []
        for requests in SCENARIOS.values():
            for request in requests:
                cells.append(f"{request} {cell(measured.row('django', request))}")
        print(f"  {variant}: " + "; ".join(cells) + f"; pool {measured.pools['django']}")


if __name__ == "__main__":
    sys.exit(main())
