"""The default main job measures every claim it can: `matrix` audits what the Security
Comparison needs after its load trials, so its report leaves no claim "measurable, not yet
measured" (on the session's real run, tests/report/conftest.py)."""

from __future__ import annotations

from typing import Any

from framematrix.audit import store
from framematrix.claims.ledger import counts
from framematrix.claims.security import needed
from framematrix.report.model import build


def test_matrix_leaves_no_claim_measurable_not_yet_measured(real_run: Any) -> None:
    found = build(real_run.run).every_claim()
    totals = counts(found)
    assert "measurable" not in totals, [e.id for e in found if e.status == "measurable"]
    assert totals["measured"] >= 40
    assert sum(totals.values()) == len(found)
    security = [e for e in found if e.section == "Security Comparison" and e.status == "measured"]
    assert all(e.evidence.startswith("audit: ") for e in security)


def test_matrix_audits_what_the_claims_need_and_says_how_long_it_took(real_run: Any) -> None:
    run = real_run.run
    audited = {(a.contestant, a.profile) for a in store.load(run.path)}
    assert audited == set(needed(["django", "fastapi", "flask"]))
    meta = run.meta()["audit"]
    assert meta["failures"] == 0
    # An audit made before with the same code and versions comes from the install's cache.
    cached = {tuple(pair) for pair in meta["cached"]}
    assert cached <= audited
    assert meta["seconds"] > 0 or cached == audited


def test_the_run_judges_async_and_the_image_case_from_its_own_points(real_run: Any) -> None:
    """The session's run measured list-posts only: "async is not needed" is judged on its
    database points; the image case has no image point, and says so."""
    found = {e.id: e for e in build(real_run.run).every_claim()}
    assert found["async-not-always"].status == "measured"
    assert "list-posts" in found["async-not-always"].evidence
    assert found["case-flask"].status == "measured"
    assert "image workload" in found["case-flask"].evidence
