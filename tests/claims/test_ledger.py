"""The claims ledger: every claim of the article with its section and status; measured verdicts
taken from `claims.evaluate` and the audit, never re-judged; the offline checks. (Its renderings:
tests/report/test_claims_ledger.py.)"""

from __future__ import annotations

from pathlib import Path

from framematrix import claims as claim_rules
from framematrix.claims import ledger, offline
from framematrix.claims.catalog import CATALOGUE, VerdictOf
from framematrix.claims.security import AUDIT_CLAIMS
from framematrix.report.model import build
from framematrix.results.reference import by_load
from framematrix.results.store import Run
from framematrix.results.summary import summarise
from support.runs import article_like, make_run

TOPICS = ("Performance", "Code Comparison", "Security", "Learning Curve", "Ecosystem",
          "Team Size", "Cost of Ownership", "Testing", "Deployment", "Migration",
          "Landscape", "Misconceptions", "Use Cases", "Recommendations", "Conclusion")  # fmt: skip


def test_every_claim_is_listed_with_a_section_and_status() -> None:
    found = ledger.entries()
    assert len({e.id for e in found}) == len(found)
    assert [e.id for e in found] == [c.id for c in CATALOGUE]  # the ledger is the catalogue
    sections = " ".join(e.section for e in found)
    for topic in TOPICS:
        assert topic in sections, topic
    judged = {claim.id for claim, _ in claim_rules.RUN_CLAIMS}
    assert judged <= {e.id for e in found}
    assert {c.check.claim for c in CATALOGUE if isinstance(c.check, VerdictOf)} <= judged
    assert sum(e.section == "Security Comparison" for e in found) == len(AUDIT_CLAIMS)
    assert {e.status for e in found} == {"measured", "measurable", "stated"}
    without_run = [e for e in found if e.id == "rps-order"]
    assert without_run[0].status == "measurable"


def test_run_verdicts_come_from_claims_evaluate(tmp_path: Path) -> None:
    run = make_run(tmp_path, article_like())
    judged = {r.id: r for r in claim_rules.evaluate(by_load(summarise(run.trials())))}
    found = {e.id: e for e in build(Run(run.path)).every_claim()}
    for cid in ("rps-order", "p95-order", "memory-order", "fastapi-shines-1000",
                "async-for-1000-rps"):  # fmt: skip
        assert found[cid].status == "measured"
        assert found[cid].verdict == judged[cid].verdict
        assert judged[cid].evidence in found[cid].evidence
    assert found["rps-order"].verdict == "holds"  # the article's proportions, built in
    assert found["flask-middle"].verdict == judged["rps-order"].verdict
    assert found["case-fastapi"].verdict == found["fastapi-10k"].verdict
    assert found["fastapi-10k"].verdict == judged["fastapi-10k"].verdict


def test_audit_verdicts_are_taken_from_the_audit() -> None:
    audit = [{"framework": "django", "claim": "Clickjacking protection", "verdict": "does not hold",
              "evidence": "default profile fails x-frame-options"}]  # fmt: skip
    found = [e for e in ledger.entries(audit=audit) if e.section == "Security Comparison"]
    clickjacking = next(e for e in found if e.claim == "django: Clickjacking protection")
    assert clickjacking.id == "security-django-3"  # the ids the ledger has always given
    assert (clickjacking.status, clickjacking.verdict) == ("measured", "does not hold")
    assert "x-frame-options" in clickjacking.evidence
    others = [e for e in found if e is not clickjacking and e.status != "stated"]
    assert all(e.status == "measurable" for e in others)


def test_offline_checks() -> None:
    verdict, text = offline.hosting()
    assert "0.39 req/s on average" in text
    assert verdict == "does not hold"  # one worker of any framework carries 1M requests a month
    assert offline.less_code()[0] == "does not hold"  # the article's own 65 > 40 lines
    assert offline.low_traffic()[0] == "holds"
    by_id = {e.id: e for e in ledger.entries()}
    assert by_id["hosting-cost"].evidence.startswith("checked offline:")


def test_a_stated_claim_says_why_nothing_here_measures_it() -> None:
    """Every stated claim gives its one-line reason; the package counts, which need the whole
    index, and the OAuth2 utilities, which no server shows, among them."""
    stated = {e.id: e for e in ledger.entries() if e.status == "stated"}
    assert all(e.evidence.startswith("taken as stated (") for e in stated.values())
    assert "package index" in stated["ecosystem-size"].evidence
    assert "token endpoint" in stated["security-fastapi-13"].evidence
