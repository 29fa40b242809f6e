"""The ledger: every contestant's database work per request, and the differences FAIRNESS.md names.

Measured over real HTTP against real servers, on SQLite and on PostgreSQL. Framework contestants
may differ only by the allowances FAIRNESS.md lists by name, each of which must still be needed;
the ledger must also see what it exists to see (the as-published N+1, the baselines' one
statement per request).
"""

from __future__ import annotations

import json

import pytest
from rich.console import Console

from framematrix.contestants.registry import CONTESTANTS
from framematrix.errors import FramematrixError
from framematrix.measure import allowances, ledger
from framematrix.measure.ledger import Ledger, LedgerRow, Span
from framematrix.report import ledger_view
from framematrix.scenarios import SCENARIOS
from framematrix.servers.catalog import THREADS

LIST = "GET /posts?limit=20"
WORK = ledger.request_kind(ledger.WORK.steps[0])


@pytest.mark.slow
def test_framework_contestants_differ_only_by_the_named_allowances(db) -> None:  # type: ignore[no-untyped-def]
    measured = ledger.measure(list(CONTESTANTS), db)
    named = allowances.load()

    assert set(measured.requests) == set(ledger.request_kinds())
    left = allowances.unexplained(measured, named)
    assert not left, "differences FAIRNESS.md does not name:\n" + "\n".join(map(str, left))
    for allowance in named:
        if db.kind in allowance.dbs:
            others = [each for each in named if each is not allowance]
            assert allowances.unexplained(measured, others), f"{allowance.name} is not needed"

    frameworks = allowances.framework_contestants(measured)
    assert {"django", "fastapi", "flask"} <= set(frameworks)
    assert not {n for n in frameworks if CONTESTANTS[n].flaws or not CONTESTANTS[n].baseline}
    # Who opens a connection per request as its framework's docs say, by a named allowance.
    reconnecting = {name for a in named if db.kind in a.dbs and a.connections
                    for name in a.contestants}  # fmt: skip
    http = [s for s in SCENARIOS.values() if s.over_http]
    no_database = {ledger.request_kind(s.steps[0]) for s in http
                   if s.name == "health" or s.part == "image"}  # fmt: skip
    for name, spec in CONTESTANTS.items():
        lacked = {ledger.request_kind(s.steps[0]) for s in ledger.FLOWS
                  if s.steps and s.part in dict(spec.lacks)}  # fmt: skip
        for request in no_database - lacked:
            row = measured.row(name, request)
            assert row is not None and row.round_trips.high == 0, f"{name} {request}: {row}"
        for request in set(measured.requests) - lacked:
            row = measured.row(name, request)
            expected = name in reconnecting and request not in no_database
            assert row is not None and (row.connections.low > 0) == expected, f"{name}: {row}"
        assert not any(measured.row(name, request) for request in lacked), f"{name} lacks them"
    for baseline in ("raw-wsgi", "raw-asgi"):  # one statement a request, but GET /work's many
        for request in set(measured.requests) - no_database - {WORK}:
            row = measured.row(baseline, request)
            assert row is not None and str(row.statements) == "1", f"{baseline}: {row}"
            # Both baselines prepare every statement (asyncpg's cache; psycopg told to at once):
            # the wire shows it on PostgreSQL; SQLite has no wire to show it on.
            assert str(row.prepared) == ("1" if db.kind == "postgresql" else "0"), row
    assert set(measured.pools) == set(CONTESTANTS)
    # A threaded worker holds at most a connection a thread. An event loop's pool may open more
    # than it keeps (SQLAlchemy's 5 + 10 overflow closes each overflow connection when it is
    # returned, and the 16 requests at a time overlap longer the busier the machine), so its
    # count is bounded by the requests sent, like a worker that reconnects on every request.
    churning = reconnecting | {n for n, spec in CONTESTANTS.items() if spec.interface == "asgi"}
    for name, used in measured.pools.items():
        assert 1 <= used <= (10_000 if name in churning else 64), measured.pools
    if db.kind == "postgresql":  # Django's psycopg pool: one connection per thread, no more
        assert measured.pools["django"] <= THREADS, measured.pools
        # asyncpg caches every statement by itself; Django's psycopg prepares none. psycopg under
        # SQLAlchemy prepares a query run 5 times on one connection and forgets it at a rollback,
        # which ends each of Flask's reads: a read runs prepared only after five committing
        # requests in a row on its connection, so not every time (FAIRNESS.md, "Prepared
        # statements and pools").
        spans = {name: _row(measured, name, "GET /authors/{id}").prepared
                 for name in ("fastapi", "litestar", "flask", "django")}  # fmt: skip
        assert spans["fastapi"].low == spans["litestar"].low == 1, spans
        assert spans["django"].high == 0 and spans["flask"].low == 0, spans
    for row in measured.rows:
        assert row.prepared.high <= row.statements.high, row
    fewest = min(_row(measured, name, LIST).statements.low for name in frameworks)
    for name in (name for name, spec in CONTESTANTS.items() if "n+1" in spec.flaws):
        # The article's lazy loading: one query per distinct author of the 20 posts.
        assert _row(measured, name, LIST).statements.low > fewest + 10, name
    # The article's Django code: `models.CASCADE` makes Django delete an author's posts itself,
    # one DELETE more than the database's ON DELETE CASCADE; every other request is django's.
    for request in set(measured.requests) - {"DELETE /authors/{id}"}:
        if (published := measured.row("django-as-published", request)) is not None:
            assert published.statements == _row(measured, "django", request).statements, request
    delete = [_row(measured, name, "DELETE /authors/{id}").statements.low
              for name in ("django", "django-as-published")]  # fmt: skip
    assert delete[1] == delete[0] + 1, delete


@pytest.mark.slow
def test_the_ledger_counts_work_s_reads_and_writes(db) -> None:  # type: ignore[no-untyped-def]
    """`GET /work`: one round trip per read, the writes in one transaction, one for the list."""
    measured = ledger.measure(["raw-wsgi", "raw-asgi", "django", "fastapi", "flask"], db)
    asked = ledger.WORK_ASKED
    for name in measured.contestants:
        trace = _row(measured, name, WORK).trace
        assert trace.count("SELECT posts") == asked["queries"] + 1, (name, trace)
        assert trace.count("UPDATE posts") == asked["writes"], (name, trace)
        updates = [index for index, command in enumerate(trace) if command == "UPDATE posts"]
        begun = max(i for i, command in enumerate(trace[: updates[0]]) if command == "BEGIN")
        assert "COMMIT" not in trace[begun : updates[-1]], (name, trace)
        assert "COMMIT" in trace[updates[-1] :], (name, trace)


def _row(measured: Ledger, contestant: str, request: str) -> LedgerRow:
    row = measured.row(contestant, request)
    assert row is not None, (contestant, request)
    return row


def _ledger(db: str, figures: dict[str, tuple[int, int, int]]) -> Ledger:
    """A two-request ledger: the same `GET /authors/{id}` for all, and `figures` on writes."""
    rows = []
    for name, (round_trips, statements, transactions) in figures.items():
        same = Span(1, 1)
        rows.append(LedgerRow(name, "GET /authors/{id}", same, same, same, Span(0, 0), ()))
        rows.append(
            LedgerRow(
                name,
                "POST /posts",
                Span(round_trips, round_trips),
                Span(statements, statements),
                Span(transactions, transactions),
                Span(0, 0),
                (),
            )
        )
    return Ledger(db, 1, tuple(rows))


ALLOW = allowances.Allowance(
    name="flask-begins",
    dbs=frozenset({"sqlite"}),
    contestants=frozenset({"flask"}),
    requests=("writes",),
    round_trips=2,
    statements=0,
    transactions=0,
)


def test_a_difference_is_covered_only_by_its_allowance() -> None:
    covered = _ledger("sqlite", {"django": (2, 2, 2), "flask": (4, 2, 2)})
    assert allowances.unexplained(covered, [ALLOW]) == []

    left = allowances.unexplained(covered, [])
    assert [(d.request, d.metric, d.bound) for d in left] == [
        ("POST /posts", "round_trips", "fewest"),
        ("POST /posts", "round_trips", "most"),
    ]

    other_db = _ledger("postgresql", {"django": (2, 2, 2), "flask": (4, 2, 2)})
    assert [d.metric for d in allowances.unexplained(other_db, [ALLOW])] == ["round_trips"] * 2

    extra_statement = _ledger("sqlite", {"django": (2, 2, 2), "flask": (5, 3, 2)})
    (fewest, most) = allowances.unexplained(extra_statement, [ALLOW])[-2:]
    assert fewest.metric == most.metric == "statements"
    assert "flask 3" in str(fewest) and "django 2" in str(fewest)


def test_fairness_names_each_allowance_and_explains_it() -> None:
    named = allowances.load()
    assert named, "FAIRNESS.md lists no allowance"
    text = allowances.FAIRNESS.read_text(encoding="utf-8")
    section = text.split(allowances.HEADING, 1)[1].split("\n## ", 1)[0]
    kinds = set(ledger.request_kinds())
    for allowance in named:
        assert f"**`{allowance.name}`**" in section, f"no paragraph for {allowance.name}"
        assert set(allowance.requests) <= kinds | set(allowances.GROUPS), allowance.name
        frameworks = {n for n, spec in CONTESTANTS.items() if spec.baseline and not spec.flaws}
        assert allowance.contestants <= frameworks, allowance.name


def test_a_malformed_allowance_table_is_one_clear_error() -> None:
    table = "\n".join(
        [
            allowances.HEADING,
            "",
            "| " + " | ".join(allowances.COLUMNS) + " |",
            "|---" * len(allowances.COLUMNS) + "|",
            "| `x` | both | flask | all | two | 0 | 0 | 0 |",
        ]
    )
    with pytest.raises(FramematrixError, match="round trips must be a whole number"):
        allowances.parse(table)
    with pytest.raises(FramematrixError, match="unknown contestants nope"):
        allowances.parse(table.replace("| flask |", "| nope |"))
    with pytest.raises(FramematrixError, match="no section"):
        allowances.parse("# nothing here")


def test_the_commands_print_once_per_sequence_with_who_sends_it() -> None:
    read = Span(1, 1)
    rows = [
        LedgerRow(name, "GET /authors/{id}", read, read, read, Span(0, 0), trace)
        for name, trace in (
            ("django", ("SELECT authors",)),
            ("fastapi", ("BEGIN", "SELECT authors", "ROLLBACK")),
            ("flask", ("BEGIN", "SELECT authors", "ROLLBACK")),
        )
    ] + [LedgerRow("django", "GET /health", Span(0, 0), Span(0, 0), Span(0, 0), Span(0, 0), ())]
    console = Console(width=100, record=True)
    console.print(ledger_view.table(Ledger("postgresql", 3, tuple(rows))))
    lines = console.export_text().splitlines()
    assert [line.split()[-2:] for line in lines if "ROLLBACK" in line] == [["fastapi,", "flask"]]
    assert [line for line in lines if line.strip().startswith("GET /health")][1:] == []


def test_the_ledger_prints_within_100_columns_and_round_trips_as_json() -> None:
    sample = _ledger("postgresql", {name: (4, 2, 1) for name in CONTESTANTS})
    console = Console(width=100, record=True)
    console.print(ledger_view.table(sample))
    text = console.export_text()
    assert text and max(len(line) for line in text.splitlines()) <= 100
    assert "fastapi-as-published" in text
    assert Ledger.from_record(json.loads(json.dumps(sample.record()))) == sample
    markdown = ledger_view.markdown(sample)
    assert markdown.count("\n") == 2 + len(sample.requests)
    assert "| `POST /posts` | 4 / 2 / 1 |" in markdown
