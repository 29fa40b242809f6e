"""What every command group shares: the one-line error wrapper and the options declared once."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.markup import escape

from framematrix.errors import FramematrixError
from framematrix.output import errors

P = ParamSpec("P")
R = TypeVar("R")


def friendly(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a FramematrixError into one red line and its exit code; never a traceback. The
    message is printed as it is (`[locust]` stays, it is no Rich markup)."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except FramematrixError as exc:
            errors.print(f"[red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def default_db_url() -> str:
    """The embedded default: a SQLite file in the current folder."""
    return f"sqlite:///{Path('framematrix.db').resolve()}"


DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL: sqlite:///FILE or postgresql://HOST/NAME."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
ServersOption = Annotated[
    str | None, typer.Option(help="Comma-separated servers; default: each one's own.")
]
RateOption = Annotated[
    str | None, typer.Option(help="Open loop: comma-separated request rates (req/s).")
]
EngineOption = Annotated[
    str | None, typer.Option(help="builtin, wrk, ab or locust; default: wrk when on PATH.")
]
WorkersOption = Annotated[int, typer.Option(min=0, help="Server workers; 0 = one per server core.")]
ThreadsOption = Annotated[
    int,
    typer.Option(
        min=0, help="Threads per worker of threaded servers (gthread, granian WSGI); 0 = theirs."
    ),
]
WideOption = Annotated[
    bool, typer.Option("--wide", help="The full tables instead of the 100-column view.")
]
CpusOption = Annotated[
    str | None, typer.Option(help="SERVER:LOAD cores, e.g. 0:1; default: split in two.")
]
OutOption = Annotated[str, typer.Option(help="Folder that holds the runs.")]
ReferenceOption = Annotated[
    str | None,
    typer.Option(help="Contestant the others' req/s are compared with; default: the first."),
]
ExportJson = Annotated[
    str | None, typer.Option(help="Write the trials as JSON to FILE (- stdout).")
]
ExportCsv = Annotated[str | None, typer.Option(help="Write the trials as CSV to FILE (- stdout).")]
ExportMarkdown = Annotated[
    str | None, typer.Option(help="Write the report as Markdown to FILE (- stdout).")
]
ResumeOption = Annotated[
    str | None, typer.Option(help="Continue RUN, skipping the trials it finished.")
]
RunArgument = Annotated[str | None, typer.Argument(help="Run id or folder; default: the latest.")]
TuningOption = Annotated[
    str,
    typer.Option(
        help="Server tunings: equal (one worker per core, the same settings) and/or "
        "docs (each server's documented worker and thread counts), comma-separated."
    ),
]
LoadProcessesOption = Annotated[
    int, typer.Option(min=0, help="Builtin engine processes; 0 = one per load core.")
]
UpstreamMsOption = Annotated[
    float,
    typer.Option(min=0, help="Latency of the upstream the `upstream` scenario waits on (ms)."),
]
UpstreamJitterOption = Annotated[
    float, typer.Option(min=0, help="Uniform jitter added to the upstream's latency (ms).")
]
UpstreamTimeoutOption = Annotated[
    float, typer.Option(min=0.001, help="How long contestants wait for the upstream (seconds).")
]
DevicesOption = Annotated[
    str, typer.Option(help="`iot`: comma-separated device counts (its load points).")
]
DeviceRateOption = Annotated[
    float, typer.Option(min=0.001, help="`iot`: readings per second each device sends.")
]
SubscribersOption = Annotated[
    int, typer.Option(min=1, help="`iot`: subscribers that each receive every reading.")
]
BrokerOption = Annotated[
    str | None,
    typer.Option(help="Broker for real-time fan-out (redis://HOST:PORT); default: local Redis."),
]
LocustWorkersOption = Annotated[
    int | None,
    typer.Option(min=0, help="locust: workers started here, one per load core by default."),
]
LocustRemoteWorkersOption = Annotated[
    int,
    typer.Option(
        min=0,
        help="locust: workers on other machines to wait for "
        "(`framematrix locust-worker --master HOST:PORT` on each).",
    ),
]
LocustMasterOption = Annotated[
    str | None,
    typer.Option(
        help="locust: HOST:PORT the master listens on; default 127.0.0.1 on a free port, "
        "0.0.0.0:5557 with remote workers."
    ),
]
