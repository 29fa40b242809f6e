"""Scoring in the manner of the Mozilla HTTP Observatory.

Every audit starts at 100. Each probe's outcome carries one modifier from `RULES`; penalties
(negative) always count, bonuses (positive) only when the score after penalties is 90 or more.
The score never goes below 0, and the grade follows the Observatory's boundaries. Where a rule
mirrors an Observatory rule its modifier is the Observatory's; the rest are framematrix's own,
sized against those (source column). The table is data, in scoring.toml; AUDIT.md repeats it (a
test keeps both equal).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from framematrix.audit.model import CANNOT_TELL, NOT_APPLICABLE, ProbeResult, Score

START = 100
BONUS_THRESHOLD = 90


@dataclass(frozen=True)
class Rule:
    probe: str
    outcome: str
    modifier: int
    meaning: str
    source: str
    """'Observatory' when the modifier is the Observatory's, else 'framematrix'."""


def _rules() -> tuple[Rule, ...]:
    """The table of scoring.toml, then the two outcomes any probe may have, worth nothing."""
    text = resources.files(__package__).joinpath("scoring.toml").read_text(encoding="utf-8")
    rows = tuple(Rule(**row) for row in tomllib.loads(text)["rules"])
    meanings = {
        NOT_APPLICABLE: "the target lacks the part the probe needs",
        CANNOT_TELL: "the probe could not reach a verdict (see detail)",
    }
    return rows + tuple(
        Rule("(any)", outcome, 0, meaning, "framematrix") for outcome, meaning in meanings.items()
    )


RULES: tuple[Rule, ...] = _rules()
MODIFIERS: dict[str, int] = {rule.outcome: rule.modifier for rule in RULES}

# packed by hand: a row per letter, as the Observatory's table has it
GRADES: tuple[tuple[int, str], ...] = (
    (100, "A+"), (90, "A"), (85, "A-"),
    (80, "B+"), (70, "B"), (65, "B-"),
    (60, "C+"), (50, "C"), (45, "C-"),
    (40, "D+"), (30, "D"), (25, "D-"),
    (0, "F"),
)  # fmt: skip
"""(lowest score, grade), the Observatory's boundaries."""


def grade(score: int) -> str:
    return next(letter for lowest, letter in GRADES if score >= lowest)


def score(results: Iterable[ProbeResult]) -> Score:
    """Penalties first; bonuses only if the score after them is at least 90."""
    results = list(results)
    unknown = [r.outcome for r in results if r.outcome not in MODIFIERS]
    if unknown:
        raise ValueError(f"outcomes missing from the scoring table: {', '.join(unknown)}")
    penalties = sum(min(MODIFIERS[r.outcome], 0) for r in results)
    before_bonus = START + penalties
    bonuses_count = before_bonus >= BONUS_THRESHOLD
    contributed = {
        r.name: MODIFIERS[r.outcome] if MODIFIERS[r.outcome] < 0 or bonuses_count else 0
        for r in results
    }
    total = max(0, START + sum(contributed.values()))
    return Score(total, grade(total), max(0, before_bonus), contributed)


def markdown_table() -> str:
    """The rules as the Markdown table AUDIT.md carries."""
    lines = ["| probe | outcome | modifier | meaning | source |", "|---|---|---:|---|---|"]
    lines += [
        f"| {r.probe} | `{r.outcome}` | {r.modifier:+d} | {r.meaning} | {r.source} |" for r in RULES
    ]
    return "\n".join(lines)
