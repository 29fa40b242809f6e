"""The rules for the claims the side measurements decide (`measure.side`): cold start against
the serverless advice, install footprint against "fewer dependencies", the frameworks' test
clients against the testing stars, the batteries against "for free". Each takes the check and
the run's side record and returns a `Judgement`; without that record the claim is unmeasured by
the run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import TypeVar

from framematrix.claims.article import ARTICLE
from framematrix.claims.catalog import RunCheck
from framematrix.claims.judge import Judgement
from framematrix.measure.batteries.battery import Battery
from framematrix.measure.coldstart import ColdStart
from framematrix.measure.footprint import Footprint, dependencies
from framematrix.measure.side import Side
from framematrix.measure.testclient.runs import TestClientRun

LAMBDA_INIT_S = 10.0
"""AWS Lambda's limit on a function's init phase (its documentation, "Lambda execution
environment lifecycle"): a cold start that needs more is cut off."""

T = TypeVar("T", ColdStart, Footprint, TestClientRun)


def _missing(names: Sequence[str], found: Mapping[str, object], what: str) -> Judgement | None:
    absent = [n for n in names if n not in found]
    if not absent:
        return None
    return Judgement(
        "cannot tell", f"the run measured no {what} of {', '.join(absent)}", unmeasured=True
    )


def _by_name(items: Sequence[T]) -> dict[str, T]:
    return {item.contestant: item for item in items}


def serverless(check: RunCheck, side: Side | None) -> Judgement:
    """Holds when every framework's median cold start (spawn to first answer) fits in Lambda's
    init phase; evidence: each one's start, import time and fresh worker's memory."""
    found = _by_name(side.cold_starts if side else [])
    if lacking := _missing(check.order, found, "cold start"):
        return lacking
    failed = [f"{n}: {found[n].error}" for n in check.order if found[n].error]
    if failed:
        return Judgement("cannot tell", "; ".join(failed))
    text = "; ".join(
        f"{n} under {c.server}: {c.median_s:.2f} s to the first answer (median of "
        f"{len(c.starts_s)}), app import {c.import_s or 0:.2f} s, fresh worker "
        f"{c.worker_rss_mb or 0:.0f} MB RSS"
        for n in check.order
        if (c := found[n]).median_s is not None
    )
    slow = [n for n in check.order if (found[n].median_s or 0) > LAMBDA_INIT_S]
    tail = (
        f"; over Lambda's {LAMBDA_INIT_S:.0f} s init limit: {', '.join(slow)}"
        if slow
        else f"; each fits Lambda's {LAMBDA_INIT_S:.0f} s init limit, and every cold request "
        "pays its start"
    )
    return Judgement("does not hold" if slow else "holds", text + tail)


def fewer_dependencies(check: RunCheck, side: Side | None) -> Judgement:
    """Holds when the first stack installs fewer distributions than the second (as each
    contestant uses its framework); the frameworks' own dependencies are shown beside."""
    found = _by_name(side.footprints if side else [])
    if lacking := _missing(check.order, found, "install footprint"):
        return lacking
    first, second = (found[n] for n in check.order[:2])
    alone = {n: len(dependencies(found[n].roots[0])) for n in check.order[:2]}
    text = (
        "; ".join(
            f"{f.contestant}'s stack ({', '.join(f.roots)}) installs {f.count} distributions, "
            f"{f.megabytes:.1f} MB"
            for f in found.values()
        )
        + "; the frameworks alone need "
        + ", ".join(f"{found[n].roots[0]} {count}" for n, count in alone.items())
        + " other distributions"
    )
    return Judgement("holds" if first.count < second.count else "does not hold", text)


def judge_testing(check: RunCheck, side: Side | None) -> Judgement:
    """The stars rank the frameworks' testing (best first: `order`). Holds when every
    framework's own client passes the contract's read checks in-process and its lines of test
    setup rank them no differently (fewer lines for more stars, ties allowed)."""
    found = _by_name(side.test_clients if side else [])
    if lacking := _missing(check.order, found, "test client"):
        return lacking
    stars = ARTICLE.figure("testing_stars").values
    text = "; ".join(
        f"{n} ({stars.get(n, 0):.0f} stars) {t.client}: {t.passed}/{len(t.checks)} read checks, "
        f"{t.setup_lines} lines of setup, {t.ms_per_check or 0:.0f} ms a check (median)"
        + (f", {t.error}" if t.error else "")
        for n in check.order
        if (t := found[n])
    )
    clients = [found[n] for n in check.order]
    if any(t.error or t.passed < len(t.checks) or not t.checks for t in clients):
        return Judgement("does not hold", text + "; not every client passes the checks")
    ranked = all(a.setup_lines <= b.setup_lines for a, b in pairwise(clients))
    tail = (
        "; the lines of setup rank them as the stars do"
        if ranked
        else "; the lines of setup do not rank them as the stars do"
    )
    return Judgement("holds" if ranked else "does not hold", text + tail)


def _battery(found: Battery) -> str:
    lines = (
        f" ({found.lines} line{'s' if found.lines != 1 else ''}: {found.how})"
        if found.lines
        else ""
    )
    needs = f", needs {', '.join(found.needs)}" if found.needs else ""
    absent = f" ({found.how})" if found.level == "absent" and found.how else ""
    return f"{found.battery} {found.level}{lines}{absent}{needs}"


def batteries(check: RunCheck, side: Side | None) -> Judgement:
    """Holds when every battery named of every framework in `order` is served as the claim
    says: by default, or (`served = "built in"`) at worst switched on by lines of the
    framework's own, with no other package."""
    found = {(b.framework, b.battery): b for b in side.batteries} if side else {}
    wanted = [(f, name) for f in check.order for name in check.batteries]
    if absent := [f"{f} {name}" for f, name in wanted if (f, name) not in found]:
        return Judgement("cannot tell", f"the run probed no {', '.join(absent)}", unmeasured=True)
    levels = ("default",) if check.served == "default" else ("default", "built in")
    short = [key for key in wanted if found[key].level not in levels or found[key].needs]
    text = "; ".join(f"{f}: {_battery(found[(f, name)])}" for f, name in wanted)
    tail = (
        f"; not {check.served if check.served == 'default' else 'built in'}: "
        + ", ".join(f"{f} {name}" for f, name in short)
        if short
        else "; each probed on a minimal app of the framework's own"
    )
    return Judgement("does not hold" if short else "holds", text + tail)
