"""The article's IoT case over WebSockets: delivery latency, sustained readings/s, connection
setup and server memory per open connection, per contestant, at three device counts.

    .venv/bin/python benchmarks/realtime.py                      # 100, 250, 500 devices
    .venv/bin/python benchmarks/realtime.py --devices 5000 --rate 1 --duration 20

Scaled to a 2-core machine: the server (one worker) on core 0, the engine on core 1, each device
sending 1 reading/s (the article: "5,000+ devices sending data per second"), 2 subscribers.
Contestants are interleaved at each device count, so the machine's drift hits all alike; every
trial starts from an emptied `readings` table. Redis is not pinned: it runs where it runs.
`cpu ms` is the server's CPU time per reading (whole process tree, storage and fan-out to every
subscriber included): it holds still on a busy machine, where latency does not.
Needs Redis at FRAMEMATRIX_BROKER_URL (default redis://127.0.0.1:6379/0).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from framematrix.db import broker
from framematrix.db.init import init, reseed
from framematrix.db.seed import SeedSize
from framematrix.db.url import DatabaseURL
from framematrix.engines.realtime import IotPlan, IotResult, run_iot
from framematrix.errors import FramematrixError
from framematrix.measure.process_tree import cpu_seconds
from framematrix.servers import RunningServer, ServerConfig, free_port, resolve

SEED = SeedSize(authors=10, posts=10)
CONTESTANTS = ("raw-asgi", "fastapi", "django", "flask")


@dataclass(frozen=True)
class Entry:
    contestant: str
    threads: int | None = None
    """gunicorn gthread threads (Flask): None sizes them to the sockets, as Flask-Sock's docs
    say and `bench` does (`servers.catalog.realtime_threads`); a number keeps that many."""

    @property
    def label(self) -> str:
        return self.contestant + (f" ({self.threads} threads)" if self.threads else "")


def _trial(
    entry: Entry, db: DatabaseURL, plan: IotPlan, server_cpus: tuple[int, ...]
) -> tuple[IotResult, float]:
    """The result, and the server's CPU milliseconds per reading it took in (whole run: the
    connections' setup, fan-out to every subscriber and storage included)."""
    _, server = resolve(entry.contestant, None, realtime=True)
    config = ServerConfig(contestant=entry.contestant, server=server, db_url=db.url,
                          port=free_port(), workers=len(server_cpus), threads=entry.threads,
                          cpus=server_cpus, realtime=True,
                          sockets=plan.devices + plan.subscribers)  # fmt: skip
    reseed(db, SEED)
    with RunningServer(config) as running:
        plan = IotPlan(**{**plan.__dict__, "base_url": config.url, "server_pid": running.pid})
        cpu_before = cpu_seconds(running.pid)
        result = run_iot(plan)
        cpu_ms = (cpu_seconds(running.pid) - cpu_before) * 1000
    return result, cpu_ms / max(1, result.sent)


def _row(label: str, r: IotResult, cpu_ms: float) -> str:
    d = r.delivery
    setup50, setup99 = (r.devices.setup.get_value_at_percentile(p) / 1000 for p in (50, 99))
    per_conn = r.pss_per_connection_kb
    return (
        f"{label:<24} {r.plan.devices:>6} {r.offered_per_s:>7.0f} {r.rps:>8.0f} "
        f"{r.latency_ms(50):>8.1f} {r.latency_ms(99):>8.1f} {r.max_ms:>8.0f} "
        f"{setup50:>7.1f} {setup99:>7.1f} "
        f"{(f'{per_conn:.0f}' if per_conn is not None else '-'):>8} {r.devices.failed:>6} "
        f"{d.lost:>6} {r.late:>6} {r.unsent:>7} {cpu_ms:>7.2f} "
        f"{r.engine_cpu_s / r.duration_s:>5.0%}"
    )


HEADER = (
    f"{'contestant':<24} {'devices':>6} {'offer/s':>7} {'msgs/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
    f"{'max ms':>8} {'setup50':>7} {'setup99':>7} {'KB/conn':>8} {'refused':>6} {'lost':>6} "
    f"{'late':>6} {'unsent':>7} {'cpu ms':>7} {'eng%':>5}"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", default="100,250,500")
    parser.add_argument("--rate", type=float, default=1.0, help="readings/s per device")
    parser.add_argument("--subscribers", type=int, default=2)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--contestants", default=",".join(CONTESTANTS))
    parser.add_argument("--db", default=None, help="default: SQLite in a temporary folder")
    parser.add_argument("--flask-threads", type=int, default=100,
                        help="also run Flask with this fixed thread count at the largest load "
                             "(Flask-Sock's docs' example; 0: skip)")  # fmt: skip
    args = parser.parse_args()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the server inherits it
    counts = [int(n) for n in args.devices.split(",")]
    entries = [Entry(name) for name in args.contestants.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        db = DatabaseURL.parse(args.db or f"sqlite:///{Path(folder) / 'iot.db'}")
        init(db, SEED)
        print(f"broker: {broker.check(broker.url())}; database: {db.kind}; server on core 0 "
              f"(1 worker), engine on core 1; {args.rate:g} reading/s per device, "
              f"{args.subscribers} subscribers, {args.duration:g} s after {args.warmup:g} s "
              "warm-up", flush=True)  # fmt: skip
        print(HEADER, flush=True)
        results: dict[tuple[str, int], IotResult] = {}
        for devices in counts:
            plan = IotPlan(base_url="http://127.0.0.1:1", devices=devices,
                           rate_per_device=args.rate, subscribers=args.subscribers,
                           duration_s=args.duration, warmup_s=args.warmup, cpus=(1,))  # fmt: skip
            runs = list(entries)
            if devices == max(counts) and args.flask_threads and "flask" in args.contestants:
                runs.append(Entry("flask", threads=args.flask_threads))
            for entry in runs:
                try:
                    result, cpu_ms = _trial(entry, db, plan, (0,))
                except FramematrixError as exc:
                    print(f"{entry.label:<24} {devices:>6}  failed: {exc}", flush=True)
                    continue
                results[(entry.label, devices)] = result
                print(_row(entry.label, result, cpu_ms), flush=True)
                for warning in result.warnings:
                    print(f"{'':<24} ! {warning}", flush=True)
        _ratios(results, counts)
    return 0


def _ratios(results: dict[tuple[str, int], IotResult], counts: list[int]) -> None:
    """Each contestant against raw-asgi, measured side by side at the same device count."""
    print("\nagainst raw-asgi at the same device count (sustained msgs/s ratio; p99 ratio):")
    for (label, devices), result in results.items():
        base = results.get(("raw-asgi", devices))
        if base is None or label == "raw-asgi" or not base.rps:
            continue
        p99 = result.latency_ms(99) / base.latency_ms(99) if base.latency_ms(99) else float("nan")
        print(f"  {label:<24} {devices:>6}: {result.rps / base.rps:.2f}x "
              f"msgs/s, {p99:.1f}x p99")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
