"""The claims ledger and the audit's security verdicts, rendered for a terminal, in Markdown and
as an HTML fragment."""

from __future__ import annotations

from framematrix.claims import ledger, security
from framematrix.report import claims_ledger


def test_renderings() -> None:
    found = ledger.entries()
    md = claims_ledger.markdown(found)
    assert md.startswith("| section | claim | status | evidence |")
    assert md.count("\n") == len(found) + 2
    fragment = claims_ledger.html(found)
    assert fragment.count("<tr class=") == len(found)
    assert 'id="claims-ledger"' in fragment and "<script" not in fragment
    assert claims_ledger.table(found).row_count == len(found)


def test_the_security_table_has_a_row_per_verdict() -> None:
    verdicts = security.evaluate([])
    table = claims_ledger.security_table(verdicts)
    assert table.row_count == len(verdicts) == len(security.AUDIT_CLAIMS)
    assert [column.header for column in table.columns] == ["framework", "claim", "verdict",
                                                           "evidence"]  # fmt: skip
