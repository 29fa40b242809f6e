"""The article's flowchart (§ Final Verdict: Decision Matrix), walked with the user's answers.

Kept apart from the weighted matrix so the two can disagree visibly: the tree is the article's
verdict, the matrix is framematrix's weighing of the evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Step:
    """One node of the article's flowchart, as the answers passed it."""

    question: str
    """The answer key asked at this node."""
    text: str
    answer: Any
    defaulted: bool = False
    """The flowchart took the question's default: nobody answered it."""


@dataclass(frozen=True)
class TreeResult:
    path: tuple[Step, ...]
    verdict: str
    note: str


def walk(answers: Mapping[str, Any], defaults: Mapping[str, Any] | None = None) -> TreeResult:
    """Follow the flowchart from START to a leaf; an unanswered (None) question on the way takes
    its value from `defaults`, and the step says so."""
    path: list[Step] = []

    def ask(key: str, text: str) -> Any:
        value = answers[key]
        defaulted = value is None and defaults is not None and key in defaults
        if defaulted:
            value = defaults[key] if defaults else None
        path.append(Step(key, text, value, defaulted))
        return value

    ask("app_kind", "Full web application (with frontend), or API only?")

    if path[0].answer == "web":
        if ask("needs_admin", "Do you need an admin panel?"):
            return TreeResult(tuple(path), "django", "web app with an admin panel")
        if ask("fast_development", "Do you need fast development?"):
            return TreeResult(tuple(path), "django", "web app built fast")
        return TreeResult(tuple(path), "flask", "web app without admin or rush")
    if ask("extreme_performance", "Do you need extreme performance (>1000 req/s)?"):
        return TreeResult(tuple(path), "fastapi", "API with extreme performance")
    if ask("auto_api_docs", "Do you want auto API docs?"):
        return TreeResult(tuple(path), "fastapi", "API with automatic docs")
    if ask("team_experience", "How experienced is your team?") == "experienced":
        return TreeResult(tuple(path), "flask", "experienced team: flexibility")
    return TreeResult(tuple(path), "fastapi", "learning team: guardrails")
