"""One builder for every Markdown table framematrix writes (the report, the ledger, ...), so all
of them escape their cells the same way and keep one column count per row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

Align = Literal["left", "right", "center"] | None
RULES = {None: "---", "left": ":---", "right": "---:", "center": ":---:"}
"""The separator row's cell for each alignment; None leaves it to the renderer."""


def cell(value: object) -> str:
    """A value as one table cell: a `|` escaped, a line break turned into a space."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(
    headers: Sequence[object],
    rows: Sequence[Sequence[object]],
    align: Sequence[Align] = (),
) -> str:
    """A GitHub-flavoured Markdown table, its lines joined without a final newline; `align`
    gives the first columns' alignment (the rest: None)."""
    rules = [RULES[align[i] if i < len(align) else None] for i in range(len(headers))]
    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "|".join(rules) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
