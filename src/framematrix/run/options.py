"""The options of `bench`, `matrix` and `sweep`, declared once: each field of `BenchOptions` is
one command-line option (`framematrix.flags`), text as given; the engines' own options are in
the records it holds. `run.validation.build_plan` checks them into a plan. Also the presets
`matrix` runs, and the readers of the command line's lists and durations.

This module stays light to import: the CLI builds its commands from it at every start.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from framematrix.claims.article import ARTICLE as THE_ARTICLE
from framematrix.contestants.registry import CONTESTANTS
from framematrix.engines.locust.options import LocustOptions
from framematrix.engines.realtime import RealtimeOptions
from framematrix.errors import FramematrixError
from framematrix.flags import flag
from framematrix.upstream.settings import DEFAULT_TIMEOUT_S as DEFAULT_UPSTREAM_TIMEOUT_S

T = TypeVar("T")
ARTICLE_DB = "postgresql://postgres@127.0.0.1:5432/framematrix"


@dataclass(frozen=True)
class BenchOptions:
    """The options of `bench`, `matrix` and `sweep` as the command line gives them (text,
    unparsed), each declared once here; each command takes those it needs."""

    contestants: str | None = flag(None, "Comma-separated contestants; default: the five.")
    servers: str | None = flag(None, "Comma-separated servers; default: each one's own.")
    db: str | None = flag(
        None,
        "embedded (the default: a PostgreSQL framematrix starts itself), sqlite, "
        "sqlite:///FILE or postgresql://HOST/NAME.",
    )
    scenario: str = flag(
        "list-posts",
        "Comma-separated scenarios (see the README: list-posts, crud, upstream, image, iot, ...).",
    )
    workload: tuple[str, ...] = flag(
        (),
        'A described workload (repeatable), measured like a scenario: "queries=3,calls=1,'
        'compute_ms=2,items=20" (also writes; each 0 when left out) or a TOML file of those keys. '
        "Without --scenario, it replaces the default scenario.",
        repeat=True,
    )
    """Each one a `GET /work` scenario named by its parameters (`scenarios.workload`)."""
    concurrency: str | None = flag(None, "Closed loop: comma-separated connection counts.")
    rate: str | None = flag(None, "Open loop: comma-separated request rates (req/s).")
    duration: str = flag("10s", "Measured time per trial (10s, 500ms, 1m).")
    warmup: str = flag(
        "2s",
        "Unmeasured warm-up before each trial; FIRST,LATER (0.5s,0.25s) gives a point's later "
        "rounds, on servers that served it already, a shorter one.",
    )
    trials: int = flag(3, "Trials per point (interleaved).", min=1)
    engine: str | None = flag(None, "builtin, wrk, ab or locust; default: wrk when on PATH.")
    workers: int = flag(0, "Server workers; 0 = one per server core.", min=0)
    threads: int = flag(
        0, "Threads per worker of threaded servers (gthread, granian WSGI); 0 = theirs.", min=0
    )
    """0: each server's own setting."""
    tuning: str = flag(
        "equal",
        "Server tunings, comma-separated: equal (one worker per core, the same settings), docs "
        "(each server's documented worker and thread counts), best (each contestant's best "
        "documented configuration per workload, searched on this machine and cached).",
    )
    """Each target is measured under each tuning given."""
    retune: bool = flag(
        False, "--tuning best: search the best configurations again, not the cache.", "--retune"
    )
    search: bool = True
    """False: `best` only where a configuration is cached, no search (the default `matrix`)."""
    cpus: str | None = flag(None, "SERVER:LOAD cores, e.g. 0:1; default: split in two.")
    load_processes: int = flag(0, "Builtin engine processes; 0 = one per load core.", min=0)
    budget: str = flag(
        "0s",
        "Time for more trials where a verdict is still undecided (0 = none); default 40s "
        "(--article: 60s).",
    )
    """`matrix`: time to spend on more trials where a verdict cannot be told yet."""
    upstream_ms: float = flag(
        50.0, "Latency of the upstream the `upstream` scenario waits on (ms).", min=0
    )
    upstream_jitter_ms: float = flag(
        0.0, "Uniform jitter added to the upstream's latency (ms).", min=0
    )
    upstream_timeout: float = flag(
        DEFAULT_UPSTREAM_TIMEOUT_S,
        "How long contestants wait for the upstream (seconds).",
        min=0.001,
    )
    realtime: RealtimeOptions = field(default_factory=RealtimeOptions)
    """The realtime engine's own: `--devices`, `--device-rate`, `--subscribers`, `--broker`."""
    locust: LocustOptions = field(default_factory=LocustOptions)
    """The locust engine's own: `--locust-workers`, `--locust-remote-workers`, `--locust-master`."""
    url: str | None = flag(None, "Benchmark a running server instead of a contestant.")
    out: str = flag("runs", "Folder that holds the runs.")
    resume: str | None = flag(None, "Continue RUN, skipping the trials it finished.")
    versions: tuple[str, ...] = flag(
        (),
        'A version set to measure in, its own environment (repeatable): "django==4.2.*", '
        "several requirements space-separated, NAME @ URL, or a project folder.",
        repeat=True,
    )
    """One version set each (`framematrix.versions.sets`)."""
    rerun: str | None = flag(
        None, "Measure RUN's plan again, in a new run, with its exact versions."
    )
    """A run whose plan, version sets' exact distributions included, is measured again."""
    reference: str | None = flag(
        None,
        "Contestant the others' req/s are compared with, and the one the A/A control measures "
        "twice; default: the first (the control: django when measured).",
    )
    control: bool = flag(
        True,
        "An A/A control: the reference contestant measured again from a second server, so the "
        "run measures its own noise and calls nothing smaller a difference.",
        "--control/--no-control",
    )
    export_json: str | None = flag(None, "Write the trials as JSON to FILE (- stdout).")
    export_csv: str | None = flag(None, "Write the trials as CSV to FILE (- stdout).")
    export_markdown: str | None = flag(None, "Write the report as Markdown to FILE (- stdout).")
    wide: bool = flag(False, "The full tables instead of the 100-column view.", "--wide")
    connection_per_request: bool = False
    """A new connection per request, like ab without -k (`matrix --article`)."""
    ledger: bool = True
    """Measure the database-work ledger after the trials, for the report."""
    audit: bool = flag(
        False,
        "After the trials, audit the security of the article's frameworks measured (the "
        "Security Comparison's claims), on the run's database; default: on.",
        "--audit/--no-audit",
    )
    """`matrix`: the security audit the claims ledger reads, when nothing is being timed."""
    side: bool = False
    """Measure cold start, footprint and test clients after the trials (`matrix`:
    `measure.side`)."""

    @property
    def exports(self) -> Mapping[str, str | None]:
        """Where each export goes, by format (None: not written)."""
        return {"json": self.export_json, "csv": self.export_csv, "markdown": self.export_markdown}


EVERY_CONTESTANT = ",".join(CONTESTANTS)
QUICK = BenchOptions(
    audit=True,
    contestants="django,fastapi,flask",
    scenario="list-posts,crud,upstream,image,iot",
    concurrency="64,image=4",
    engine="builtin",
    duration="1s",
    warmup="0.5s,0.25s",
    trials=5,
    budget="0s",
    tuning="equal,best",
    search=False,
)
"""`matrix` with no options: the article's three frameworks (and the A/A control's second
Django) on the database (list-posts, crud), waiting on a 50 ms upstream, computing (image) and
fanning 100 devices' readings out over WebSockets (iot, through the embedded broker), in 5
rounds of 1 s after 0.5 s of warm-up (0.25 s from the second round on, on servers that served
the point a round before and are kept running), judged once at 95%: about 4 minutes on 2
cores. A
workload whose best configurations are all cached (`--tuning best` searched them) is measured
with each at its best, else under equal settings: one rule a workload, and each verdict says
which (`matrix --tuning equal,best` judges under both). A
budget (`--budget 60s`) adds looks where verdicts are undecided, each at the level that keeps
them all at 95% together, which widens every interval from the first look on: at this number
of rounds, five rounds judged once decide more than four judged twice. The builtin engine warms
up on the connections it measures, times its window to the millisecond and counts a response
near its edges in part (wrk starts twice and counts whole requests in whole seconds).
The baselines, the as-published apps and the frameworks beyond the article are measured where
asked (`--contestants`); no default verdict needs them."""
ARTICLE = BenchOptions(
    audit=True,
    contestants=EVERY_CONTESTANT,
    scenario=THE_ARTICLE.setup.scenario,
    concurrency=str(THE_ARTICLE.setup.concurrency),
    duration="10s",
    warmup="2s",
    trials=3,
    budget="60s",
    connection_per_request=THE_ARTICLE.setup.connection_per_request,
)
"""`matrix --article`: the article's test setup (`claims/figures.toml`), as far as one machine
allows."""
FULL = BenchOptions(
    audit=True,
    contestants=EVERY_CONTESTANT,
    scenario="list-posts,crud,upstream,image,iot",
    concurrency="1,4,16,64,256,1024,image=1,image=4,image=16",
    realtime=RealtimeOptions(devices=(100, 500, 2000)),
    duration="5s",
    warmup="2s",
    trials=3,
    budget="120s",
    tuning="equal,best",
)
"""`matrix --full`: every workload, each swept over concurrency (1 to 1,024; the image to 16;
iot at 100, 500 and 2,000 devices), 3 trials of 5 s, each contestant under equal settings and at
its best (searched where not cached, up to a minute per contestant and workload): about three
hours on 2 cores. The report shows each contestant's knee and the curves, and the verdicts under
both rules."""


SWEEP = BenchOptions(duration="5s", warmup="1s", trials=2, control=False)
"""`sweep`'s own defaults: shorter trials, since it measures every step of the series."""
WORKLOAD_SWEEP = BenchOptions(
    scenario="", concurrency="64", duration="2s", warmup="1s", trials=5, control=True
)
"""`sweep --workload`'s: every value at 64 connections, in 5 rounds of 2 s with the A/A control,
so each order between two lines is judged like a verdict, on the run's own noise."""


def split_list(text: str | None, convert: Callable[[str], T], name: str) -> tuple[T, ...]:
    """`a,b,c` -> ('a', 'b', 'c'), each converted; one clear error for a bad item."""
    if not text:
        return ()
    items = [item.strip() for item in text.split(",") if item.strip()]
    try:
        return tuple(convert(item) for item in items)
    except ValueError:
        raise FramematrixError(f"bad {name} {text!r}: expected a comma-separated list") from None


def parse_warmup(text: str) -> tuple[float, float]:
    """`--warmup`: one duration for every trial, or `FIRST,LATER`: a point's first round, and
    the later rounds on servers that served the point already."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) > 2 or not all(parts):
        raise FramematrixError(f"bad --warmup {text!r}: use e.g. 2s, or 0.5s,0.25s (first, later)")
    first = parse_duration(parts[0])
    return first, parse_duration(parts[-1])


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
