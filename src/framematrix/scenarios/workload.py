"""A described workload: what a typical request of a team's app does, as `GET /work`'s
parameters (contract/RULES.md 36-42), and the scenario that sends it.

`--workload SPEC` gives one: `key=value` pairs separated by commas (`queries=3,calls=1`), or the
path of a TOML file with the same keys; each key is optional and 0 when left out. One key may
take a range (`calls=0..4`, `compute_ms=0..50/10`): a series of workloads, one per value, the
points of a crossover map. Its name is
short, readable and stable, and says every parameter that is not 0 (`work-q3-c1-m2-i20`: three
queries, one call, 2 ms of computing, 20 items), so a stored run names it again exactly
and `scenarios.get` turns the name back into the scenario.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from framematrix.contract import work
from framematrix.errors import FramematrixError

PREFIX = "work"
LETTERS = {"queries": "q", "writes": "w", "calls": "c", "compute_ms": "m", "items": "i"}
"""Each parameter's letter in a name, in the order names list them."""
NOTHING = f"{PREFIX}-0"
"""The name of the workload that asks for nothing."""
_NAME = re.compile(rf"{PREFIX}((?:-[{''.join(LETTERS.values())}]\d+)+|-0)")
_DIGITS = re.compile(r"\d+")
_RANGE = re.compile(r"(\d+)\.\.(\d+)(?:/(\d+))?")
MAX_SERIES = 12
"""Values of a range at most: each is a point of every contestant's."""


@dataclass(frozen=True)
class WorkSpec:
    queries: int = 0
    writes: int = 0
    calls: int = 0
    compute_ms: int = 0
    items: int = 0

    def __post_init__(self) -> None:
        for key, high in work.BOUNDS.items():
            value = getattr(self, key)
            if type(value) is not int or not 0 <= value <= high:
                raise FramematrixError(
                    f"workload {key} must be an integer from 0 to {high}, not {value!r}"
                )

    @property
    def name(self) -> str:
        parts = [f"{LETTERS[key]}{value}" for key, value in self.asked().items() if value]
        return "-".join([PREFIX, *parts]) if parts else NOTHING

    @property
    def path(self) -> str:
        """The request, its reads starting at a random seeded author's id (`{author}`), so
        concurrent requests write different posts."""
        asked = "".join(f"{key}={value}&" for key, value in self.asked().items() if value)
        return f"{work.PATH}?{asked}{work.START}={{author}}"

    def asked(self) -> dict[str, int]:
        return {field.name: getattr(self, field.name) for field in fields(self)}

    def text(self) -> str:
        """As `--workload` takes it: `calls=2,items=20` (`queries=0` when nothing is asked)."""
        return ",".join(f"{key}={value}" for key, value in self.asked().items() if value) or (
            "queries=0"
        )

    def summary(self) -> str:
        said = ", ".join(f"{key} {value}" for key, value in self.asked().items() if value)
        return f"GET /work: {said or 'nothing asked'}"


def parse(text: str) -> WorkSpec:
    """`--workload`'s value: pairs (when it holds `=`) or a TOML file's path."""
    (spec,) = parse_series(text, ranges=False)
    return spec


def parse_series(text: str, *, ranges: bool = True) -> list[WorkSpec]:
    """Like `parse`, but one key may take a range, `calls=0..4` or `compute_ms=0..50/10` (from,
    to, step): one workload per value, a crossover series over that parameter."""
    if "=" not in text:
        return [_from_file(Path(text))]
    found: dict[str, int] = {}
    series: tuple[str, range] | None = None
    for pair in text.split(","):
        key, sign, value = (part.strip() for part in pair.partition("="))
        if not sign:
            raise FramematrixError(f"bad --workload {text!r}: {pair!r} is not key=value")
        _known(key, text)
        if key in found or (series and series[0] == key):
            raise FramematrixError(f"bad --workload {text!r}: {key} is given twice")
        spread = _RANGE.fullmatch(value) if ranges else None
        if spread:
            if series is not None:
                raise FramematrixError(f"bad --workload {text!r}: only one key may take a range")
            low, high, step = int(spread[1]), int(spread[2]), int(spread[3] or 1)
            series = key, range(low, high + 1, max(step, 1))
            if low >= high or step < 1 or len(series[1]) > MAX_SERIES:
                raise FramematrixError(
                    f"bad --workload {text!r}: a range goes up, in at most {MAX_SERIES} values"
                )
        elif not _DIGITS.fullmatch(value):
            raise FramematrixError(f"bad --workload {text!r}: {key} must be a whole number")
        else:
            found[key] = int(value)
    if series is None:
        return [_checked(found, text)]
    key, values = series
    return [_checked({**found, key: value}, text) for value in values]


def swept(text: str) -> list[WorkSpec]:
    """`sweep --workload`'s value: a series (`parse_series`), which it must be."""
    found = parse_series(text)
    if len(found) < 2:
        raise FramematrixError(
            f"bad --workload {text!r}: sweep needs one key as a range, e.g. calls=0..4 or "
            "compute_ms=0..50/10"
        )
    return found


def _from_file(path: Path) -> WorkSpec:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FramematrixError(
            f"bad --workload {str(path)!r}: neither key=value pairs nor a readable TOML file "
            f"({exc.strerror or exc})"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FramematrixError(f"bad --workload file {path}: {exc}") from None
    for key in data:
        _known(key, str(path))
    return _checked(data, str(path))


def _known(key: str, source: str) -> None:
    if key not in LETTERS:
        raise FramematrixError(
            f"bad --workload {source!r}: unknown key {key!r}; known: {', '.join(LETTERS)}"
        )


def _checked(values: Mapping[str, object], source: str) -> WorkSpec:
    try:
        return WorkSpec(**values)  # type: ignore[arg-type]
    except FramematrixError as exc:
        raise FramematrixError(f"bad --workload {source!r}: {exc}") from None


def from_name(name: str) -> WorkSpec | None:
    """The workload a name says, if it is one's (and in its one spelling); else None."""
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    if name == NOTHING:
        return WorkSpec()
    keys = {letter: key for key, letter in LETTERS.items()}
    values = {keys[part[0]]: int(part[1:]) for part in match.group(1)[1:].split("-")}
    try:
        spec = WorkSpec(**values)
    except FramematrixError:
        return None
    return spec if spec.name == name else None
