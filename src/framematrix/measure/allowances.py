"""The differences in database work FAIRNESS.md allows between framework contestants, by name.

FAIRNESS.md's section `HEADING` holds a Markdown table, one row per allowed difference:

| name | db | contestants | requests | round trips | statements | transactions | connections |

- `db`: `postgresql`, `sqlite` or `both`;
- `contestants`: who does the extra work (comma-separated names);
- `requests`: `all`, `reads` or `writes` (the GET, or the other, request kinds on which some
  framework contestant runs a statement), or request kinds (`POST /posts`), comma-separated;
- the four figures: what each of those requests costs those contestants more (`+2`) or less
  (`-1`) than the others; `connections`: new connections opened per request (a contestant
  whose framework's docs open one per request).

`unexplained` takes each framework contestant's figure, removes every allowance that applies to
it, and requires what is left to be the same for all of them; anything else is a `Difference`.
An allowance that is no longer true leaves a difference too, so none can go stale.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from framematrix.contestants.registry import CONTESTANTS
from framematrix.errors import FramematrixError
from framematrix.measure.ledger import Ledger

HEADING = "## Database work: the differences that stay"
FAIRNESS = Path(__file__).resolve().parents[3] / "FAIRNESS.md"
"""FAIRNESS.md of the source checkout this package runs from (bootstrap installs editable)."""
COLUMNS = (
    "name",
    "db",
    "contestants",
    "requests",
    "round trips",
    "statements",
    "transactions",
    "connections",
)
FIGURES = {
    "round trips": "round_trips",
    "statements": "statements",
    "transactions": "transactions",
    "connections": "connections",
}
DATABASES = {"postgresql": {"postgresql"}, "sqlite": {"sqlite"}, "both": {"postgresql", "sqlite"}}
GROUPS = ("all", "reads", "writes")
_INTEGER = re.compile(r"[+-]?\d+")


@dataclass(frozen=True)
class Allowance:
    name: str
    dbs: frozenset[str]
    contestants: frozenset[str]
    requests: tuple[str, ...]
    """Request kinds, or the groups `all`, `reads`, `writes`."""
    round_trips: int
    statements: int
    transactions: int
    connections: int = 0

    def delta(self, metric: str) -> int:
        value: int = getattr(self, metric, 0)
        return value


@dataclass(frozen=True)
class Difference:
    """A figure on which framework contestants differ beyond the named allowances."""

    db: str
    request: str
    metric: str
    bound: str
    """`fewest` or `most` over the repetitions."""
    measured: tuple[tuple[str, int], ...]
    left: tuple[tuple[str, int], ...]
    """What remains of each contestant's figure once its allowances are taken off."""

    def __str__(self) -> str:
        measured = ", ".join(f"{name} {value}" for name, value in self.measured)
        left = ", ".join(f"{name} {value}" for name, value in self.left)
        what = self.metric.replace("_", " ")
        return (
            f"{self.db}, {self.request}: {what} ({self.bound}) {measured}; "
            f"less the named allowances {left}"
        )


def _cells(line: str) -> list[str]:
    return [cell.strip().strip("`").strip() for cell in line.strip().strip("|").split("|")]


def _figure(text: str, name: str, column: str) -> int:
    text = text.replace("\u2212", "-")  # a typographic minus
    if not _INTEGER.fullmatch(text):
        raise FramematrixError(f"allowance {name}: {column} must be a whole number, not {text!r}")
    return int(text)


def _allowance(cells: list[str]) -> Allowance:
    if len(cells) != len(COLUMNS):
        raise FramematrixError(f"allowance {cells[0]}: needs the columns {', '.join(COLUMNS)}")
    row = dict(zip(COLUMNS, cells, strict=True))
    name = row["name"]
    if row["db"] not in DATABASES:
        raise FramematrixError(f"allowance {name}: db must be one of {', '.join(DATABASES)}")
    contestants = frozenset(part.strip() for part in row["contestants"].split(","))
    unknown = sorted(contestants - set(CONTESTANTS))
    if unknown:
        raise FramematrixError(f"allowance {name}: unknown contestants {', '.join(unknown)}")
    requests = tuple(part.strip().strip("`") for part in row["requests"].split(","))
    return Allowance(
        name=name,
        dbs=frozenset(DATABASES[row["db"]]),
        contestants=contestants,
        requests=requests,
        **{field: _figure(row[column], name, column) for column, field in FIGURES.items()},
    )


def parse(markdown: str) -> list[Allowance]:
    """The allowances of the first table after `HEADING`."""
    lines = markdown.splitlines()
    if HEADING not in lines:
        raise FramematrixError(f"FAIRNESS.md has no section {HEADING!r}")
    rows = []
    for line in lines[lines.index(HEADING) + 1 :]:
        if line.startswith("## "):
            break
        if line.startswith("|"):
            rows.append(_cells(line))
        elif rows:
            break
    if not rows or tuple(rows[0]) != COLUMNS:
        raise FramematrixError(f"{HEADING!r} needs a table with the columns {', '.join(COLUMNS)}")
    allowances = [_allowance(cells) for cells in rows[2:]]
    names = [allowance.name for allowance in allowances]
    if len(set(names)) != len(names):
        raise FramematrixError("FAIRNESS.md names an allowance twice")
    return allowances


def load(path: Path = FAIRNESS) -> list[Allowance]:
    try:
        return parse(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FramematrixError(f"cannot read the allowances in {path}: {exc.strerror}") from None


def framework_contestants(ledger: Ledger) -> list[str]:
    """The ledger's contestants that are frameworks written as their docs teach (not a
    baseline, not the article's code as published)."""
    return [
        name
        for name in ledger.contestants
        if CONTESTANTS[name].baseline is not None and not CONTESTANTS[name].flaws
    ]


def _expand(allowance: Allowance, groups: dict[str, set[str]], known: set[str]) -> set[str]:
    kinds: set[str] = set()
    for request in allowance.requests:
        if request in groups:
            kinds |= groups[request]
        elif request in known:
            kinds.add(request)
        else:
            raise FramematrixError(f"allowance {allowance.name}: the ledger has no {request!r}")
    return kinds


def unexplained(
    ledger: Ledger, allowances: Sequence[Allowance], contestants: Sequence[str] | None = None
) -> list[Difference]:
    """Every figure on which `contestants` (default: the framework contestants) differ once
    each one's allowances are taken off; empty when FAIRNESS.md explains them all."""
    names = list(contestants or framework_contestants(ledger))
    rows = {(row.contestant, row.request): row for row in ledger.rows if row.contestant in names}
    database = {
        request
        for (_, request), row in rows.items()
        if row.statements.high > 0 or row.round_trips.high > 0
    }
    reads = {request for request in database if request.startswith("GET ")}
    groups = {"all": database, "reads": reads, "writes": database - reads}
    applying = [
        (allowance, _expand(allowance, groups, set(ledger.requests)))
        for allowance in allowances
        if ledger.db in allowance.dbs
    ]
    found = []
    for request in ledger.requests:
        present = [name for name in names if (name, request) in rows]
        for metric in ("round_trips", "statements", "transactions", "connections"):
            bounds = ("fewest",) if metric == "connections" else ("fewest", "most")
            for bound in bounds:
                measured, left = [], []
                for name in present:
                    span = rows[name, request].span(metric)
                    value = span.low if bound == "fewest" else span.high
                    allowed = sum(
                        allowance.delta(metric)
                        for allowance, kinds in applying
                        if name in allowance.contestants and request in kinds
                    )
                    measured.append((name, value))
                    left.append((name, value - allowed))
                if len({value for _, value in left}) > 1:
                    found.append(
                        Difference(ledger.db, request, metric, bound, tuple(measured), tuple(left))
                    )
    return found
