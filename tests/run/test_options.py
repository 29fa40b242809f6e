"""Options declared once (`framematrix.flags`): `bench`, `matrix` and `sweep` take theirs from the
same declarations, and what a command line changes lands on the command's defaults or preset."""

from __future__ import annotations

import inspect
from collections import Counter
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from framematrix.cli import measure
from framematrix.cli.common import Given, with_options
from framematrix.engines.locust.options import LocustOptions
from framematrix.engines.realtime import RealtimeOptions
from framematrix.errors import FramematrixError
from framematrix.flags import changed, declared
from framematrix.run.options import FULL, QUICK, SWEEP, BenchOptions, parse_warmup


def names(command: Any) -> list[str]:
    return list(inspect.signature(command).parameters)


def test_each_option_is_declared_once_and_the_commands_take_theirs() -> None:
    flags = [d.name for d in declared(BenchOptions)]
    assert not [name for name, n in Counter(flags).items() if n > 1]
    assert {d.name for d in declared(LocustOptions)} | {d.name for d in declared(RealtimeOptions)} \
        <= set(flags)  # fmt: skip
    assert names(measure.bench) == [f for f in flags if f not in ("budget", "audit")] + ["as_json"]
    leaves = set(measure.MATRIX_LEAVES)
    assert names(measure.matrix) == ["article", "full", *(f for f in flags if f not in leaves),
                                     "as_json"]  # fmt: skip
    assert names(measure.sweep) == [*measure.SWEEP_TAKES, "start", "stop", "p99_target", "growth",
                                    "as_json"]  # fmt: skip


def capture(base: BenchOptions, onto: BenchOptions, *args: str, **chosen: Any) -> BenchOptions:
    """The options a command of `with_options(base, **chosen)` gets for `args`, put onto
    `onto`, through Typer itself."""
    found: list[BenchOptions] = []
    app = typer.Typer()

    @app.command()
    @with_options(base, **chosen)
    def command(given: Given[BenchOptions]) -> None:
        found.append(given.onto(onto))

    done = CliRunner().invoke(app, list(args))
    if done.exception is not None:
        raise done.exception
    assert done.exit_code == 0, done.output
    return found[0]


def test_what_the_command_line_leaves_out_comes_from_the_preset() -> None:
    preset = {"leave": measure.MATRIX_LEAVES, "own": measure.FROM_PRESET}
    assert capture(QUICK, FULL, **preset) == FULL
    given = capture(QUICK, FULL, "--duration", "3s", "--devices", "7,8", "--workers", "2",
                    **preset)  # fmt: skip
    assert given == FULL.__class__(**{**vars(FULL), "duration": "3s", "workers": 2,
                                      "realtime": RealtimeOptions(devices=(7, 8))})  # fmt: skip
    assert capture(QUICK, FULL, "--devices", "100", **preset).realtime == FULL.realtime
    assert capture(QUICK, FULL, "--contestants", "", **preset).contestants == FULL.contestants


def test_flags_are_read_into_their_records() -> None:
    given = capture(BenchOptions(), BenchOptions(), "--versions", "django==5.2.*", "--versions",
                    "./here", "--locust-workers", "3", "--broker", "redis://h:1", "--devices",
                    "5,10")  # fmt: skip
    assert given.versions == ("django==5.2.*", "./here")
    assert given.locust == LocustOptions(locust_workers=3)
    assert given.realtime == RealtimeOptions(devices=(5, 10), broker_url="redis://h:1")
    assert changed(given.locust) == ["--locust-workers"]
    assert capture(SWEEP, SWEEP, only=("duration",)).duration == "5s"  # the command's default
    with pytest.raises(FramematrixError, match="bad --devices 'x'"):
        capture(BenchOptions(), BenchOptions(), "--devices", "x")


def test_a_warm_up_is_one_duration_or_the_first_and_later_rounds() -> None:
    assert parse_warmup("2s") == (2.0, 2.0)
    assert parse_warmup("0.5s,250ms") == (0.5, 0.25)
    for bad in ("1s,2s,3s", "1s,", ",1s", "soon"):
        with pytest.raises(FramematrixError):
            parse_warmup(bad)
    assert parse_warmup(QUICK.warmup) == (0.5, 0.25)  # the default matrix's
