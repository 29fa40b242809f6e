"""The article's flowchart (§ Final Verdict: Decision Matrix), walked with the user's answers.

Kept apart from the weighted matrix so the two can disagree visibly: the tree is the article's
verdict, the matrix is framematrix's weighing of the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

from framematrix.decide.questions import Answers


@dataclass(frozen=True)
class Step:
    question: str
    """The answer key asked at this node."""
    text: str
    answer: object


@dataclass(frozen=True)
class TreeResult:
    path: tuple[Step, ...]
    verdict: str
    note: str


def walk(answers: Answers) -> TreeResult:
    """Follow the flowchart from START to a leaf."""
    path = [
        Step("app_kind", "Full web application (with frontend), or API only?", answers["app_kind"])
    ]

    def ask(key: str, text: str) -> object:
        path.append(Step(key, text, answers[key]))
        return answers[key]

    if answers["app_kind"] == "web":
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
