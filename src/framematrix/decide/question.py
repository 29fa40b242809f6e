"""One question of the decision engine: its key (the answers file's), its words, the kind and
bounds of its answers, and the group the questionnaire shows it in. The questions themselves
are `decide.questions` (the article's) and `decide.request` (what a request of your app does)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["choice", "bool", "int", "number", "frameworks"]


@dataclass(frozen=True)
class Question:
    key: str
    prompt: str
    why: str
    """The article passage the question comes from, and what it changes."""
    kind: Kind
    default: Any
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    """The highest answer taken, where there is one (a request's bounds are `GET /work`'s)."""
    positive: bool = False
    """True when the answer must be strictly greater than zero."""
    unit: str = ""
    flowchart: bool = False
    """A question of the article's flowchart whose default stands only where the flowchart asks
    it; elsewhere an unanswered one is None and weighs nothing."""
    group: str = field(kw_only=True)
    """The key of its group (`decide.groups`): where the questionnaire shows it, unless it is
    among the questions that move the answer most."""
