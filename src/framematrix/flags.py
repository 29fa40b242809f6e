"""A command-line option declared once: as the field of the frozen record it fills.

`flag(default, help)` is such a field: its type and default are the field's, its help and its
spelling (`--` and the field's name with dashes, unless named) the command line's. The CLI builds
the options of `bench`, `matrix` and `sweep` from these records (`cli/common.py`), and an engine
declares its own in its own module (`LocustOptions`, `RealtimeOptions`). A record may hold another
record of flags (an engine's, nested in `BenchOptions`): its flags are the outer record's too, so
every flag's name is unique across them, and is the name a stored plan keeps it under.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T")
R = TypeVar("R", bound="DataclassInstance")
KEY = "framematrix.flag"


@dataclass(frozen=True)
class Flag:
    """How the command line shows one field."""

    help: str
    spelling: str | None = None
    """`--name`; None: `--` and the field's name with dashes."""
    min: float | None = None
    """The least value a number may take, checked by the command line."""
    repeat: bool = False
    """A tuple given one value per flag (`--versions A --versions B`), not comma-separated."""


def flag(
    default: T,
    help: str,
    spelling: str | None = None,
    *,
    min: float | None = None,
    repeat: bool = False,
) -> T:
    """A record's field that is also a command-line option."""
    return dataclasses.field(default=default, metadata={KEY: Flag(help, spelling, min, repeat)})


@dataclass(frozen=True)
class Declared:
    """One flag of a record (or of a record it holds): the field it fills and what it says."""

    name: str
    flag: Flag
    hint: Any
    """The field's type, resolved (`int | None`, `tuple[int, ...]`)."""
    default: Any

    @property
    def spelling(self) -> str:
        return self.flag.spelling or "--" + self.name.replace("_", "-")


def declared(record: type) -> Iterator[Declared]:
    """Every flag of `record`, in field order, the flags of the records it holds in their place."""
    hints = typing.get_type_hints(record)
    for field in dataclasses.fields(record):
        hint = hints[field.name]
        if KEY in field.metadata:
            yield Declared(field.name, field.metadata[KEY], hint, field.default)
        elif dataclasses.is_dataclass(hint) and isinstance(hint, type):
            yield from declared(hint)


def changed(record: object) -> list[str]:
    """The spellings of `record`'s flags that are not at their defaults."""
    return [d.spelling for d in declared(type(record)) if getattr(record, d.name) != d.default]


def value(record: Any, name: str) -> Any:
    """The flag `name`'s value in `record` or in a record it holds."""
    for field in dataclasses.fields(record):
        inner = getattr(record, field.name)
        if field.name == name:
            return inner
        if dataclasses.is_dataclass(inner) and name in {f.name for f in dataclasses.fields(inner)}:
            return getattr(inner, name)
    raise KeyError(name)


def replaced(record: R, values: Mapping[str, object]) -> R:
    """`record` with the flags named in `values` set, in the records it holds too."""
    changes: dict[str, object] = {}
    for field in dataclasses.fields(record):
        inner = getattr(record, field.name)
        if field.name in values:
            changes[field.name] = values[field.name]
        elif dataclasses.is_dataclass(inner) and not isinstance(inner, type):
            changes[field.name] = replaced(inner, values)
    return dataclasses.replace(record, **changes)


def from_flat(record: type[R], data: Mapping[str, Any]) -> R:
    """A record of flags from a mapping that holds them among other keys (a stored plan keeps
    an engine's options so), lists read back as the tuples they were; a flag missing keeps its
    default."""
    given = {
        d.name: tuple(data[d.name]) if isinstance(data[d.name], list) else data[d.name]
        for d in declared(record)
        if d.name in data
    }
    return record(**given)
