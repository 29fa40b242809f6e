"""What every command group shares: the one-line error wrapper, and the commands' options built
from their one declaration (`framematrix.flags`: the fields of `BenchOptions` and of the engines'
own records).

`with_options(base)` turns a command's `given: Given[...]` parameter into one Typer option per
flag of `base`'s record, each with its declared spelling, type, help and range, and `base`'s
value as its default; the command gets back what its command line changed, to put onto `base`
(or, for `matrix`, onto its preset). Typer reads the signature this makes (`__signature__`).
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Generic, ParamSpec, TypeVar

import typer
from rich.markup import escape

from framematrix.engines.realtime import RealtimeOptions
from framematrix.errors import FramematrixError
from framematrix.flags import Declared, declared, replaced, value
from framematrix.output import errors
from framematrix.run.options import BenchOptions, split_list

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

P = ParamSpec("P")
R = TypeVar("R")
Record = TypeVar("Record", bound="DataclassInstance")


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


@dataclass(frozen=True)
class Own:
    """A command's own help for a shared option; `preset`: its default comes from elsewhere
    (`matrix`'s preset), so none is shown, and leaving it out (or empty) changes nothing;
    `required`: the command needs it given."""

    help: str | None = None
    preset: bool = False
    required: bool = False


@dataclass(frozen=True)
class Given(Generic[Record]):
    """The options a command line changed from its command's defaults, by flag name."""

    base: Record
    """The record the command's defaults come from."""
    values: Mapping[str, object] = field(default_factory=dict)

    @property
    def options(self) -> Record:
        return self.onto(self.base)

    def onto(self, base: Record) -> Record:
        return replaced(base, self.values)

    def __contains__(self, name: str) -> bool:
        return name in self.values


def with_options(
    base: object,
    *,
    leave: Collection[str] = (),
    only: Sequence[str] | None = None,
    own: Mapping[str, Own] | None = None,
) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """The command with its `given` parameter made into the flags of `base`'s record: all of
    them in the record's order less those it `leave`s, or `only` those, in their order."""
    chosen = [d for d in declared(type(base)) if d.name not in leave]
    if only is not None:
        chosen = sorted((d for d in chosen if d.name in only), key=lambda d: only.index(d.name))
    changes = own or {}
    defaults = {d.name: value(base, d.name) for d in chosen}

    def decorate(command: Callable[..., R]) -> Callable[..., R]:
        hints = typing.get_type_hints(command, include_extras=True)
        params = [
            p.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=hints[p.name])
            for p in inspect.signature(command).parameters.values()
        ]
        at = [p.name for p in params].index("given")
        flags = [_parameter(d, defaults[d.name], changes.get(d.name, Own())) for d in chosen]

        @wraps(command)
        def run(**values: Any) -> R:
            given = {}
            for d in chosen:
                read = _read(d, values.pop(d.name))
                left_to_preset = changes.get(d.name, Own()).preset and read in (None, "", ())
                if not left_to_preset and read != defaults[d.name]:
                    given[d.name] = read
            return command(given=Given(base, given), **values)

        signature = inspect.Signature([*params[:at], *flags, *params[at + 1 :]])
        run.__signature__ = signature  # type: ignore[attr-defined]  # Typer reads it; no stub has it
        run.__annotations__ = {p.name: p.annotation for p in signature.parameters.values()}
        return run

    return decorate


def option(record: type, name: str) -> Any:
    """The Typer option of one declared flag, for a command that shares it without taking the
    whole record (`--db` of `serve`, `--out` of `results`)."""
    (found,) = (d for d in declared(record) if d.name == name)
    return _info(found, Own())


def _parameter(d: Declared, default: object, own: Own) -> inspect.Parameter:
    """The Typer parameter of one flag: a tuple is comma-separated text (or one value per flag,
    `repeat`), shown with the default it stands for."""
    hint: Any = d.hint
    if typing.get_origin(hint) is tuple:
        (item, _) = typing.get_args(hint)
        if d.flag.repeat:
            hint, default = list[item] | None, None  # type: ignore[valid-type]  # built for Typer
        else:
            # a tuple flag's default is a tuple
            hint, default = str, ",".join(str(value) for value in default)  # type: ignore[attr-defined]
    if own.preset:
        hint, default = hint | None, None
    if own.required:
        default = inspect.Parameter.empty
    return inspect.Parameter(
        d.name,
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[hint, _info(d, own)],
    )


def _info(d: Declared, own: Own) -> Any:
    spelling = (d.flag.spelling,) if d.flag.spelling else ()
    return typer.Option(*spelling, help=own.help or d.flag.help, min=d.flag.min)


def _read(d: Declared, given: Any) -> object:
    """A flag's value as its record holds it."""
    if typing.get_origin(d.hint) is not tuple:
        return given
    if d.flag.repeat:
        return tuple(given or ())
    (item, _) = typing.get_args(d.hint)
    return None if given is None else split_list(given, item, d.spelling)


DbOption = Annotated[str | None, option(BenchOptions, "db")]
CheckDbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="embedded (the default: the embedded PostgreSQL), sqlite (a throw-away file), "
        "sqlite:///FILE or postgresql://HOST/NAME.",
    ),
]
"""`--db` of the commands that check rather than measure (`audit`, `verify`), which take
`embedded` and `sqlite` for a database of their own."""
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
WideOption = Annotated[bool, option(BenchOptions, "wide")]
OutOption = Annotated[str, option(BenchOptions, "out")]
ReferenceOption = Annotated[str | None, option(BenchOptions, "reference")]
RunArgument = Annotated[str | None, typer.Argument(help="Run id or folder; default: the latest.")]
UpstreamTimeoutOption = Annotated[float, option(BenchOptions, "upstream_timeout")]
BrokerOption = Annotated[str | None, option(RealtimeOptions, "broker_url")]
