"""Batteries probed on the real minimal apps (each family in its own fresh interpreter, as
`matrix` runs them), the rule that judges the "for free" claims, and the report's table."""

from __future__ import annotations

from framematrix.claims.catalog import CATALOGUE, RunCheck
from framematrix.claims.side import batteries as judge
from framematrix.measure.batteries.battery import FAMILIES, Battery, measure
from framematrix.measure.batteries.probes import PROBES
from framematrix.measure.footprint import closure
from framematrix.measure.side import Side
from framematrix.report.side_view import battery_cell, markdown, tables

CHECKS = {c.id: c.check for c in CATALOGUE if isinstance(c.check, RunCheck)}


def test_the_minimal_apps_show_each_frameworks_batteries() -> None:
    found = [b for family in FAMILIES for b in measure(family)]
    level = {(b.framework, b.battery): b.level for b in found}
    frameworks = ["django", "drf", "django-ninja", "fastapi", "flask", "litestar"]
    assert len(level) == len(found) == len(frameworks) * len(PROBES)  # no failed family
    for name in ("fastapi", "litestar", "django-ninja"):
        assert level[(name, "openapi")] == level[(name, "docs")] == "default"
    for name in ("django", "drf", "django-ninja"):
        assert level[(name, "admin")] == level[(name, "authentication")] == "default"
        assert level[(name, "permissions")] == "built in"
    for battery in PROBES:
        if battery != "test client":
            assert level[("flask", battery)] == "absent"
    assert all(level[(name, "test client")] == "built in" for name in frameworks)
    drf = {b.battery: b for b in found if b.framework == "drf"}
    assert drf["pagination"].lines == 1 and drf["filtering"].lines == 2
    assert level[("drf", "crud")] == "built in" and level[("fastapi", "crud")] == "absent"
    client = next(b for b in found if b.framework == "fastapi" and b.battery == "test client")
    assert ("httpx" in client.needs) == ("httpx" not in closure(["fastapi"]))
    assert Battery.from_record(client.record()) == client


def _side(levels: dict[str, str]) -> Side:
    return Side(batteries=[Battery("drf", name, lvl, 1) for name, lvl in levels.items()])  # type: ignore[arg-type]


def test_the_for_free_rules_and_table() -> None:
    drf = CHECKS["drf-for-free"]
    docs = CHECKS["fastapi-docs-for-free"]
    assert isinstance(drf, RunCheck) and isinstance(docs, RunCheck)
    wanted = dict.fromkeys(drf.batteries, "built in")
    assert judge(drf, _side(wanted)).verdict == "holds"
    assert judge(drf, _side(wanted | {"crud": "absent"})).verdict == "does not hold"
    needing = Side(batteries=[Battery("drf", n, "built in", 1, needs=("x",)) for n in wanted])
    assert judge(drf, needing).verdict == "does not hold"
    assert judge(docs, _side(wanted)).unmeasured and judge(docs, None).unmeasured
    fastapi = Side(batteries=[Battery("fastapi", n, "built in", 1) for n in docs.batteries])
    assert judge(docs, fastapi).verdict == "does not hold"  # docs.served is "default"
    side = _side(wanted | {"admin": "default"})
    assert [battery_cell(b) for b in side.batteries][-2:] == ["+1", "yes"]
    assert tables(side)[0].rows[0][0] == "drf" and "| drf |" in "\n".join(markdown(side))
