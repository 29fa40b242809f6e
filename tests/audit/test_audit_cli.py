"""`framematrix audit` end to end against the safe test blog, and `audit.json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from framematrix.audit import store
from framematrix.audit.model import AuditResult, ProbeResult
from framematrix.audit.runner import scored
from framematrix.claims import security
from framematrix.cli import app
from framematrix.errors import FramematrixError

runner = CliRunner()


def test_audit_url_json_and_out(test_apps, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    safe = test_apps["safe"]
    args = ["audit", "safe-blog", "--url", safe.url, "--profile", "hardened", "--db", safe.db.url]
    done = runner.invoke(app, [*args, "--json", "--out", str(tmp_path)])
    assert done.exit_code == 0, done.output
    document = json.loads(done.stdout)
    (result,) = document["results"]
    assert (result["contestant"], result["profile"], result["grade"]) == (
        "safe-blog",
        "hardened",
        "A+",
    )
    assert result["score"] == 125
    assert {tuple(sorted(p)) for p in result["probes"]} == {
        ("data", "detail", "modifier", "name", "outcome", "passed")
    }
    assert all(p["passed"] is True for p in result["probes"])
    assert [r.contestant for r in store.load(tmp_path)] == ["safe-blog"]


def test_audit_table_output(test_apps) -> None:  # type: ignore[no-untyped-def]
    done = runner.invoke(
        app, ["audit", "--url", test_apps["vulnerable"].url], env={"COLUMNS": "120"}
    )
    assert done.exit_code == 0, done.output
    assert "x-frame-options" in done.stdout
    assert "F" in done.stdout.split("grade")[-1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--profile", "staging"], "unknown profile 'staging'"),
        (["no-such-contestant"], "unknown contestant 'no-such-contestant'"),
        (
            ["--url", "http://127.0.0.1:1", "--profile", "default", "--profile", "hardened"],
            "at most one",
        ),
        (["--url", "http://127.0.0.1:1"], "cannot reach http://127.0.0.1:1"),
    ],
)
def test_audit_errors_are_one_line(args: list[str], message: str) -> None:
    done = runner.invoke(app, ["audit", *args])
    assert done.exit_code == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_store_merges_by_contestant_and_profile(tmp_path: Path) -> None:
    def audit(contestant: str, profile: str, outcome: str) -> AuditResult:
        probe = ProbeResult("csrf", outcome == "csrf-ok", "hand-made", outcome)
        return scored(contestant, profile, "http://x", [probe])  # type: ignore[arg-type]

    first = [audit("flask", "default", "csrf-missing"), audit("flask", "hardened", "csrf-ok")]
    store.save(tmp_path, first, security.records)
    store.save(tmp_path, [audit("flask", "default", "csrf-ok")], security.records)
    loaded = {(a.contestant, a.profile): a for a in store.load(tmp_path / store.FILENAME)}
    assert set(loaded) == {("flask", "default"), ("flask", "hardened")}
    assert loaded[("flask", "default")].score == 100
    claims = json.loads((tmp_path / store.FILENAME).read_text())["claims"]
    assert any(c["framework"] == "flask" and c["claim"].startswith("CSRF") for c in claims)


def test_store_refuses_a_foreign_file(tmp_path: Path) -> None:
    (tmp_path / store.FILENAME).write_text('{"format": "something-else"}')
    with pytest.raises(FramematrixError, match="cannot read"):
        store.load(tmp_path)
