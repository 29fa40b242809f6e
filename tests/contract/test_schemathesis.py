"""Schemathesis with every check and every phase, openapi.yaml against each contestant over HTTP.

`--checks all` includes positive-data acceptance (a schema-valid request must be accepted) and
negative-data rejection, so the schema must be exactly as strict as the contestants; the
stateful phase follows openapi.yaml's links (create an author, then read, change, delete it,
or write a post by it). What the schema cannot say is in `contract/schemathesis.toml`
(RULES.md 15: an `author_id` that names no author is 422). The seed is fixed so that a failure
can be replayed; schemathesis prints how.
Every server gets a working upstream (the 502/504 of a failing one are the contract suite's to
check), and the paths of a part a contestant lacks are left out for it (`--exclude-path`).
Request lines longer than a production server accepts are outside the contract (RULES.md 24):
contract/schemathesis_hooks.py keeps the fuzzer's URLs short.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from framematrix.contestants.registry import CONTESTANTS
from framematrix.contract import OPENAPI, PARTS
from support.careless import careless_server

CONFIG = OPENAPI.with_name("schemathesis.toml")
PHASES = "examples,coverage,fuzzing,stateful"
MAX_EXAMPLES = 25
SEED = 20251


def schemathesis(
    url: str, workdir: Path, excluded: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The CLI, run in `workdir` (it keeps a cache of crashes in its working folder), on every
    operation but those of the `excluded` paths."""
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "--no-color",
        "run", str(OPENAPI), "--url", url, "--checks", "all", "--phases", PHASES,
        "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED), "--workers", "1",
        "--generation-database", "none",
        *(arg for path in excluded or () for arg in ("--exclude-path", path)),
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=workdir)


@pytest.mark.slow
@pytest.mark.parametrize("contestant", list(CONTESTANTS))
def test_schemathesis_with_every_check_finds_nothing(
    contestant, db, serve, upstream, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    running = serve(contestant, None, db, workers=1, env=upstream.env())
    lacking = {part for part, _ in CONTESTANTS[contestant].lacks}
    excluded = [path for path, part in PARTS.items() if part in lacking]
    done = schemathesis(running.config.url, tmp_path, excluded)
    report = done.stdout[-6000:] + done.stderr[-2000:]
    assert done.returncode == 0, report
    for phase in ("Coverage", "Fuzzing", "Stateful"):
        assert f"✅ {phase}" in done.stdout, f"{phase} did not run and pass:\n{report}"
    assert "Unsupported regex" not in done.stdout, "a pattern schemathesis had to drop"


def test_a_careless_server_fails(tmp_path: Path) -> None:
    """No vacuous pass: a server that breaks the contract is caught, with its failures named."""
    with careless_server() as url:
        done = schemathesis(url, tmp_path)
    assert done.returncode != 0
    for failure in (
        "ST101 Server error",
        "ST103 Undocumented status code",
        "ST108 Response violates",
    ):
        assert failure in done.stdout, done.stdout[-3000:]
