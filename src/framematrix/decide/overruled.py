"""Where the evidence overruled the article: a measured criterion whose order of two frameworks
is the reverse of the article's, and whether that changed the winner.

A pair counts as reversed when the article rates a above b and the run measures b above a,
both by more than `TIE` of a score point, so that ties and noise inside one point are not called
reversals.
"""

from __future__ import annotations

from dataclasses import dataclass

from framematrix.decide.knowledge import KnowledgeBase, Rating
from framematrix.decide.questions import Answers

TIE = 0.1


@dataclass(frozen=True)
class Overrule:
    criterion: str
    label: str
    ahead: str
    """The framework the run puts ahead, against the article."""
    behind: str
    measured: tuple[Rating, Rating]
    """(ahead, behind) as measured."""
    article: tuple[Rating, Rating]
    """(ahead, behind) as the article rates them."""

    @property
    def run(self) -> str | None:
        return self.measured[0].run

    def text(self, labels: dict[str, str]) -> str:
        ahead, behind = labels[self.ahead], labels[self.behind]
        m, a = self.measured, self.article
        figures = ""
        if m[0].value is not None and m[1].value is not None:
            figures = f" ({ahead} {m[0].value:,.4g} against {behind} {m[1].value:,.4g})"
        return (
            f"the evidence overruled the article on {self.label.lower()}: run {self.run} "
            f"measured {ahead} ahead of {behind}{figures}, where the article rates {behind} "
            f"{a[1].score:.1f} and {ahead} {a[0].score:.1f}"
        )

    def record(self, labels: dict[str, str]) -> dict[str, object]:
        return {
            "criterion": self.criterion,
            "ahead": self.ahead,
            "behind": self.behind,
            "run": self.run,
            "measured": [r.value for r in self.measured],
            "article": [r.value if r.value is not None else r.score for r in self.article],
            "text": self.text(labels),
        }


def find(article: KnowledgeBase, measured: KnowledgeBase, answers: Answers) -> list[Overrule]:
    """Every measured criterion, and pair of frameworks, the run orders against the article."""
    found = []
    order = article.order
    for key, criterion in measured.criteria.items():
        now = {f: criterion.rating(f, answers.weighed) for f in order}
        if not any(r.kind == "measured" for r in now.values()):
            continue
        before = {f: article.criteria[key].rating(f, answers.weighed) for f in order}
        for a in order:
            for b in order:
                if now[a].score - now[b].score > TIE and before[b].score - before[a].score > TIE:
                    found.append(
                        Overrule(
                            key, criterion.label, a, b, (now[a], now[b]), (before[a], before[b])
                        )
                    )
    return found
