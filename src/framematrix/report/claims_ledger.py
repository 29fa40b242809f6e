"""The article's claims, rendered: the ledger of every claim (`claims.ledger.entries`) for a
terminal, in Markdown and as an HTML fragment, and the audit's security verdicts for a terminal.
"""

from __future__ import annotations

import html as html_escape
from collections.abc import Sequence

from rich.table import Table

from framematrix.claims.ledger import Entry, counts
from framematrix.claims.security import ClaimVerdict
from framematrix.report.tables import markdown_table

STATUS_TEXT = {
    "measured": "measured",
    "measurable": "measurable, not yet measured",
    "stated": "stated (the article's)",
}
VERDICT_STYLE = {"holds": "green", "does not hold": "red", "cannot tell": "dim"}


def _status(e: Entry) -> str:
    return f"{STATUS_TEXT[e.status]}: {e.verdict}" if e.verdict else STATUS_TEXT[e.status]


def table(found: Sequence[Entry]) -> Table:
    """The ledger for a terminal (Rich)."""
    t = Table(title=f"The article's claims ({len(found)}): what is measured, and how")
    for column in ("section", "claim", "status", "evidence"):
        t.add_column(column, overflow="fold")
    for e in found:
        t.add_row(e.section, e.claim, _status(e), e.evidence)
    return t


def markdown(found: Sequence[Entry]) -> str:
    rows = [[e.section, e.claim, _status(e), e.evidence] for e in found]
    return markdown_table(["section", "claim", "status", "evidence"], rows) + "\n"


def html(found: Sequence[Entry]) -> str:
    """A <table id="claims-ledger"> fragment, escaped, with a class per status."""
    esc = html_escape.escape
    rows = "".join(
        f'<tr class="{e.status}"><td>{esc(e.section)}</td><td>{esc(e.claim)}</td>'
        f'<td class="status">{esc(_status(e))}</td><td class="src">{esc(e.evidence)}</td></tr>'
        for e in found
    )
    summary = ", ".join(f"{n} {STATUS_TEXT[s]}" for s, n in counts(found).items())
    return (
        f'<p class="note" id="claims-summary">{len(found)} claims: {esc(summary)}.</p>'
        '<table id="claims-ledger"><tr><th>section</th><th>claim</th><th>status</th>'
        f"<th>evidence</th></tr>{rows}</table>"
    )


def security_table(verdicts: Sequence[ClaimVerdict]) -> Table:
    """The audit's verdicts on the article's security lines, for `framematrix audit`."""
    table = Table(title="The article's security claims")
    for column in ("framework", "claim", "verdict", "evidence"):
        table.add_column(column, overflow="fold")
    for v in verdicts:
        table.add_row(
            v.framework, v.claim, f"[{VERDICT_STYLE[v.verdict]}]{v.verdict}[/]", v.evidence
        )
    return table
