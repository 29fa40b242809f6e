"""Every combination of the boolean and enumerated answers, numbers at a few levels, scored by the
weighted matrix: how often each framework wins, and what the matrix says at each leaf of the
article's flowchart.

Answers are combined as a consistent new user would give them: "extreme performance" goes with a
peak of 2,000 req/s, its absence with 50 or 500; a team replacing an app in framework X knows X.
Choices are enumerated without their "not said" option; numbers the scale never reads (the p95
target, prices) keep their defaults. Run it to print the distribution:

    .venv/bin/python tests/decide/enumeration.py
"""

from __future__ import annotations

import itertools
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from framematrix.decide import knowledge, questions, scoring

NUMBER_LEVELS: dict[str, tuple[int, ...]] = {
    "team_size": (1, 3, 10, 20),
    "maintenance_years": (1, 5),
}
PEAKS = {False: (50, 500), True: (2000,)}
"""extreme_performance -> the peak req/s given with it."""
FRAMEWORKS = ("django", "fastapi", "flask")


def _levels(q: questions.Question) -> tuple[Any, ...] | None:
    """The values enumerated for one question, or None when it keeps its default."""
    if q.kind == "bool":
        return (False, True)
    if q.kind == "choice":
        return tuple(c for c in q.choices if c is not None)
    return NUMBER_LEVELS.get(q.key)


def combinations() -> Iterator[dict[str, Any]]:
    """Every consistent set of answers, as the `given` mapping of an answers file."""
    keys = {q.key for q in questions.QUESTIONS}
    paired = {"extreme_performance", "peak_rps", "existing_app", "team_knows"}
    free = [q for q in questions.QUESTIONS if q.key not in paired and _levels(q) is not None]
    grids = [_levels(q) or () for q in free]
    performance = [
        {"extreme_performance": extreme, "peak_rps": peak}
        for extreme, peaks in PEAKS.items()
        for peak in peaks
    ]
    history: list[dict[str, Any]] = [{}]
    if {"existing_app", "team_knows"} <= keys:
        history = [{"existing_app": "none", "team_knows": []}]
        history += [{"existing_app": "none", "team_knows": [f]} for f in FRAMEWORKS]
        history += [{"existing_app": f, "team_knows": [f]} for f in FRAMEWORKS]
    for combo in itertools.product(*grids):
        base = {q.key: value for q, value in zip(free, combo, strict=True)}
        for extra in performance:
            for past in history:
                yield {**base, **extra, **past}


@dataclass
class Distribution:
    wins: Counter[str] = field(default_factory=Counter)
    leaves: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    """flowchart leaf ("verdict: note") -> the matrix's winners there."""
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.wins.values())

    def share(self, framework: str) -> float:
        return self.wins[framework] / self.total if self.total else 0.0

    def lines(self) -> list[str]:
        out = [f"{self.total:,} combinations in {self.seconds:.1f} s"]
        for f in FRAMEWORKS:
            out.append(f"  {f:8} wins {self.wins[f]:>9,} ({self.share(f):6.1%})")
        out.append("at each leaf of the article's flowchart, the matrix's winners:")
        for leaf, counts in sorted(self.leaves.items()):
            n = sum(counts.values())
            spread = ", ".join(f"{f} {counts[f] / n:.0%}" for f in FRAMEWORKS)
            out.append(f"  {leaf:45} {n:>9,}: {spread}")
        return out


def distribution() -> Distribution:
    kb = knowledge.load()
    winner = getattr(scoring, "winner", None)  # the fast path, where the scorer has one
    result = Distribution()
    started = time.perf_counter()
    for given in combinations():
        answers = questions.resolve(given)
        best = winner(kb, answers) if winner else scoring.score(kb, answers).winner
        leaf = answers.walk() if hasattr(answers, "walk") else _before_walk(answers)
        result.wins[best] += 1
        result.leaves[f"{leaf.verdict}: {leaf.note}"][best] += 1
    result.seconds = time.perf_counter() - started
    return result


def _before_walk(answers: Any) -> Any:
    """The flowchart as main's code walked it, before answers could walk themselves."""
    from framematrix.decide import tree

    return tree.walk(answers)


if __name__ == "__main__":
    sys.stdout.write("\n".join(distribution().lines()) + "\n")
