"""Reading the side measurements' records back from run.json and the install cache.

Each is a flat dataclass of plain values that writes itself with `asdict` (plus figures derived
from its fields); one reader serves them all, so a field added to a record is read back without
a second list of its fields to keep in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any, TypeVar

Record = TypeVar("Record")


def from_record(cls: type[Record], data: Mapping[str, Any]) -> Record:
    """`cls` from its JSON: a list becomes a tuple where the field is one, a key the record does
    not know (a derived figure) is ignored, and an optional field the JSON lacks (a record from
    before the field) is None."""
    values: dict[str, Any] = {}
    for each in fields(cls):  # type: ignore[arg-type]  # every caller passes a dataclass
        kind = str(each.type)
        if each.name in data:
            value = data[each.name]
            values[each.name] = (
                tuple(value) if kind.startswith("tuple") and value is not None else value
            )
        elif "None" in kind:
            values[each.name] = None
    return cls(**values)
