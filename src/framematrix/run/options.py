"""The options of `bench` and `matrix`, as the command line gave them, turned into a checked
plan before anything starts; and the two presets `matrix` runs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from framematrix import scenarios, versions
from framematrix.contestants.registry import CONTESTANTS, DEFAULT_CONTESTANTS
from framematrix.db import broker
from framematrix.db.init import check, create_if_missing
from framematrix.db.url import DatabaseURL
from framematrix.engines import default_engine, get_engine
from framematrix.errors import FramematrixError
from framematrix.run.plan import BenchPlan, parse_cpus
from framematrix.servers import SERVERS, TUNINGS, resolve
from framematrix.upstream.settings import DEFAULT_TIMEOUT_S as DEFAULT_UPSTREAM_TIMEOUT_S

T = TypeVar("T")
ARTICLE_DB = "postgresql://postgres@127.0.0.1:5432/framematrix"


@dataclass(frozen=True)
class BenchOptions:
    """The options of `bench` and `matrix` as the command line gave them (text, unparsed):
    `build_plan` checks them all before anything starts."""

    contestants: str | None = None
    servers: str | None = None
    db: str | None = None
    scenario: str = "list-posts"
    concurrency: str | None = None
    rate: str | None = None
    duration: str = "10s"
    warmup: str = "2s"
    trials: int = 3
    engine: str | None = None
    workers: int = 0
    cpus: str | None = None
    url: str | None = None
    out: str = "runs"
    resume: str | None = None
    rerun: str | None = None
    """A run whose plan, version sets' exact distributions included, is measured again."""
    versions: tuple[str, ...] = ()
    """`--versions`, repeatable: one version set each (`framematrix.versions.sets`)."""
    reference: str | None = None
    exports: Mapping[str, str | None] = field(default_factory=dict)
    connection_per_request: bool = False
    tuning: str = "equal"
    """Comma-separated server tunings (`equal`, `docs`): each target is measured under each."""
    load_processes: int = 0
    """Processes of the builtin load engine; 0: one per load core."""
    upstream_ms: float = 50.0
    upstream_jitter_ms: float = 0.0
    upstream_timeout: float = DEFAULT_UPSTREAM_TIMEOUT_S
    devices: str = "100"
    """`iot`: comma-separated device counts."""
    device_rate: float = 1.0
    subscribers: int = 2
    broker: str | None = None
    threads: int = 0
    """Threads per worker for the servers that run apps in threads; 0: the server's setting."""
    locust_workers: int | None = None
    """Workers the locust engine starts here; None: one per load core."""
    locust_remote_workers: int = 0
    locust_master: str | None = None
    wide: bool = False
    """`--wide`: the full tables instead of the 100-column view."""
    budget: str = "0s"
    """Time to spend on more trials where a verdict cannot be told yet (`matrix`)."""
    ledger: bool = True
    """Measure the database-work ledger after the trials, for the report."""


EVERY_CONTESTANT = ",".join(CONTESTANTS)
QUICK = BenchOptions(contestants=EVERY_CONTESTANT, scenario="list-posts,crud,upstream,image",
                     concurrency="64,image=4", duration="1s", warmup="1s", trials=2,
                     budget="40s")  # fmt: skip
"""`matrix` with no options: every contestant, the article's patterns as published included,
on the database (list-posts, crud), waiting on a 50 ms upstream and computing (image), in about
3 minutes on 2 cores: 48 trials of 1 s after 1 s of warm-up (wrk counts whole seconds; the
as-published contestants lack the upstream and image parts), then up to 40 s of more trials
where a verdict is still undecided."""
ARTICLE = BenchOptions(contestants=EVERY_CONTESTANT, scenario="crud", concurrency="1000",
                       duration="10s", warmup="2s", trials=3, budget="60s",
                       connection_per_request=True)  # fmt: skip
"""`matrix --article`: the article's test setup, as far as one machine allows."""
FULL = BenchOptions(contestants=EVERY_CONTESTANT, scenario="list-posts,crud,upstream,image,iot",
                    concurrency="1,4,16,64,256,1024,image=1,image=4,image=16",
                    devices="100,500,2000", duration="5s", warmup="2s", trials=3,
                    budget="120s")  # fmt: skip
"""`matrix --full`: every workload, each swept over concurrency (1 to 1,024; the image to 16;
iot at 100, 500 and 2,000 devices), 3 trials of 5 s: about an hour and a half on 2 cores. The
report shows each contestant's knee and the curves."""


def article_db(db: str | None) -> str:
    """The PostgreSQL database `--article` runs on, created if the server lacks it and checked
    before anything starts."""
    url = DatabaseURL.parse(db or ARTICLE_DB)
    if url.is_sqlite:
        raise FramematrixError("--article runs on PostgreSQL, as the article did: give --db "
                               "postgresql://USER@HOST/NAME")  # fmt: skip
    try:
        create_if_missing(url)
        check(url)
    except FramematrixError as exc:
        raise FramematrixError(
            f"--article needs PostgreSQL: {exc}; give --db postgresql://USER@HOST/NAME"
        ) from None
    return url.url


def split_list(text: str | None, convert: Callable[[str], T], name: str) -> tuple[T, ...]:
    """`a,b,c` -> ('a', 'b', 'c'), each converted; one clear error for a bad item."""
    if not text:
        return ()
    items = [item.strip() for item in text.split(",") if item.strip()]
    try:
        return tuple(convert(item) for item in items)
    except ValueError:
        raise FramematrixError(f"bad {name} {text!r}: expected a comma-separated list") from None


def parse_duration(text: str) -> float:
    """Seconds from `10`, `10s`, `500ms` or `1m`, as wrk and hyperfine users write them."""
    units = {"ms": 0.001, "s": 1.0, "m": 60.0}
    for unit in ("ms", "s", "m"):
        if text.endswith(unit):
            number, scale = text.removesuffix(unit), units[unit]
            break
    else:
        number, scale = text, 1.0
    try:
        value = float(number) * scale
    except ValueError:
        raise FramematrixError(f"bad duration {text!r}: use e.g. 10s, 500ms or 1m") from None
    if value < 0:
        raise FramematrixError(f"bad duration {text!r}: it cannot be negative")
    return value


def parse_concurrency(
    text: str | None, scenario_names: tuple[str, ...]
) -> tuple[tuple[int, ...], dict[str, tuple[int, ...]]]:
    """`--concurrency 16,64,image=4`: the connection counts of every scenario, and of the ones
    named (`SCENARIO=N`, repeatable) instead."""
    every: list[int] = []
    own: dict[str, list[int]] = {}
    for item in split_list(text, str, "--concurrency"):
        name, _, count = item.rpartition("=")
        try:
            value = int(count)
        except ValueError:
            raise FramematrixError(
                f"bad --concurrency {text!r}: use e.g. 16,64 or 64,image=4"
            ) from None
        if value < 1:
            raise FramematrixError("--concurrency and --rate must be positive")
        if not name:
            every.append(value)
        elif name not in scenario_names:
            raise FramematrixError(
                f"bad --concurrency {text!r}: {name!r} is not a --scenario given"
            )
        else:
            own.setdefault(name, []).append(value)
    return tuple(every), {name: tuple(values) for name, values in own.items()}


def preset_for(preset: BenchOptions, scenario: str | None) -> str | None:
    """A preset's `--concurrency` narrowed to the scenarios the user chose instead of its own
    (its `image=4` means nothing for `--scenario crud`)."""
    if preset.concurrency is None or scenario is None:
        return preset.concurrency
    chosen = set(split_list(scenario, str, "--scenario"))
    items = split_list(preset.concurrency, str, "--concurrency")
    return ",".join(i for i in items if "=" not in i or i.rpartition("=")[0] in chosen) or None


def build_plan(options: BenchOptions) -> BenchPlan:
    """A BenchPlan from the bench/matrix command-line options, checked before anything starts."""
    contestants = split_list(options.contestants, str, "--contestants") or DEFAULT_CONTESTANTS
    if not options.url:
        for name in contestants:
            resolve(name, None)
    servers = split_list(options.servers, str, "--servers")
    for server in servers:
        if server not in SERVERS:
            raise FramematrixError(f"unknown server {server!r}; known: {', '.join(SERVERS)}")
    names = split_list(options.scenario, str, "--scenario")
    for name in names:
        scenarios.get(name)
    tunings = split_list(options.tuning, str, "--tuning") or ("equal",)
    for tuning in tunings:
        if tuning not in TUNINGS:
            raise FramematrixError(f"unknown tuning {tuning!r}; known: {', '.join(TUNINGS)}")
    concurrencies, own = parse_concurrency(options.concurrency, names)
    rates = split_list(options.rate, float, "--rate")
    if any(r <= 0 for r in rates):
        raise FramematrixError("--concurrency and --rate must be positive")
    if not concurrencies and not rates:
        concurrencies = (16, 64, 256)
    devices = split_list(options.devices, int, "--devices")
    if not devices or any(d < 1 for d in devices) or options.subscribers < 1:
        raise FramematrixError("--devices and --subscribers must be positive")
    if options.device_rate <= 0:
        raise FramematrixError(f"--device-rate must be positive, not {options.device_rate:g}")
    if options.broker:
        broker.parse(options.broker)
    engine = options.engine or default_engine()
    get_engine(engine)
    check_locust_options(options, engine)
    server_cpus, load_cpus = parse_cpus(options.cpus)
    db_url = options.db or ""
    if db_url and not options.url:
        DatabaseURL.parse(db_url)
    version_sets = tuple(versions.parse(label).label for label in options.versions)
    if len(set(version_sets)) < len(version_sets):
        raise FramematrixError("a --versions set is given twice")
    if version_sets and options.url:
        raise FramematrixError("--versions needs servers framematrix starts, not --url")
    return BenchPlan(
        contestants=contestants,
        servers=servers,
        scenarios=names,
        concurrencies=concurrencies,
        rates=rates,
        scenario_concurrencies=own,
        engine=engine,
        db_url=db_url,
        duration_s=parse_duration(options.duration),
        warmup_s=parse_duration(options.warmup),
        trials=options.trials,
        workers=options.workers,
        server_cpus=server_cpus,
        load_cpus=load_cpus,
        url=options.url,
        connection_per_request=options.connection_per_request,
        tunings=tunings,
        load_processes=options.load_processes,
        threads=options.threads,
        upstream_ms=options.upstream_ms,
        upstream_jitter_ms=options.upstream_jitter_ms,
        upstream_timeout_s=options.upstream_timeout,
        devices=devices,
        device_rate=options.device_rate,
        subscribers=options.subscribers,
        broker_url=options.broker,
        locust_workers=options.locust_workers,
        locust_remote_workers=options.locust_remote_workers,
        locust_master=options.locust_master or "",
        version_sets=version_sets,
    )


def check_locust_options(options: BenchOptions, engine: str) -> None:
    """The `--locust-*` options belong to `--engine locust`; its master address is checked."""
    given = [name for name, value in (
        ("--locust-workers", options.locust_workers is not None),
        ("--locust-remote-workers", options.locust_remote_workers),
        ("--locust-master", options.locust_master),
    ) if value]  # fmt: skip
    if given and engine != "locust":
        raise FramematrixError(f"{', '.join(given)} apply to --engine locust only")
    if options.locust_master:
        from framematrix.engines.locust import parse_master

        parse_master(options.locust_master)
