"""A trial's identity is flattened in one place (`TrialPoint.record`), in the README's order, and
every record, file and table that names a point or keys by one takes it from there."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from framematrix.report.model import server_settings
from framematrix.report.tabular import COLUMNS
from framematrix.results import sweep
from framematrix.results.compare import compare
from framematrix.results.summary import summarise
from framematrix.trials import IDENTITY, LoadPoint, TrialPoint, TrialResult, TrialSpec
from support.runs import make_run, trial, trials

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_identity_is_flat_in_the_readmes_order_and_reads_back() -> None:
    point = TrialPoint("django", "uvicorn", LoadPoint("crud", "postgresql", "wrk", None, 200.0),
                       "docs", "django==4.2.*")  # fmt: skip
    record = point.record()
    assert tuple(record) == IDENTITY
    assert record["rate"] == 200.0 and record["tuning"] == "docs"
    assert TrialPoint.from_record(record) == point
    said = README.read_text().split("Each point has its\nidentity (", 1)[1].split(";", 1)[0]
    assert tuple(name.strip(" `\n") for name in said.split(",")) == IDENTITY


def test_a_trial_record_starts_with_its_identity_and_reads_back() -> None:
    result = trial("flask", 900.0, index=1)
    data = result.to_dict()
    assert tuple(data)[: len(IDENTITY) + 3] == (*IDENTITY, "trial", "ok", "reason")
    assert TrialResult.from_dict(data) == result
    older = {k: v for k, v in data.items() if k not in ("tuning", "version_set")}
    assert TrialResult.from_dict(older).point == result.point  # a run made before either


def test_the_trials_csv_has_every_field_of_the_identity() -> None:
    assert set(IDENTITY) <= set(COLUMNS)
    assert COLUMNS[:3] == ("contestant", "server", "db")  # the columns keep their order


def test_an_ignored_field_is_null_in_the_comparison(tmp_path: Path) -> None:
    a = make_run(tmp_path, trials("flask", (740, 760)))
    b = make_run(tmp_path, trials("flask", (700, 720), db="postgresql", engine="wrk"))
    data = compare(a, b, ("db", "engine")).record()
    (point,) = data["points"]
    assert tuple(point)[: len(IDENTITY)] == IDENTITY
    assert (point["db"], point["engine"], point["tuning"]) == (None, None, "equal")
    assert (point["a"]["engine"], point["b"]["engine"]) == ("builtin", "wrk")


def test_a_curve_is_one_point_but_its_concurrency() -> None:
    found = [t for server in ("gunicorn-gthread", "uvicorn") for c in (8, 16)
             for t in trials("django", (700, 710), concurrency=c, server=server)]  # fmt: skip
    curves = sweep.curves(summarise(found))
    assert [key.server for key in curves] == ["gunicorn-gthread", "uvicorn"]
    assert all(key.at.concurrency is None for key in curves)
    assert all([s.point.at.concurrency for s in points] == [8, 16] for points in curves.values())


def test_each_server_started_is_one_entry_of_the_settings() -> None:
    config = {"workers": 2, "settings": {"threads": 4}, "command": ["gunicorn"]}
    plain = dataclasses.replace(trial("django", 700.0), server_config=config)
    again = dataclasses.replace(trial("django", 710.0, index=1), server_config=config)
    point = dataclasses.replace(plain.point, version_set="django==4.2.*")
    in_a_set = dataclasses.replace(plain, spec=TrialSpec(point, 0), server_config=config)
    found = server_settings([plain, again, in_a_set])
    assert [(s["contestant"], s["version_set"], s["realtime"]) for s in found] == [
        ("django", "", False), ("django", "django==4.2.*", False)]  # fmt: skip
