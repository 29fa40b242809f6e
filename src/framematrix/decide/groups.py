"""The questionnaire's groups: each question names one (`Question.group`), and the page shows the
questions that move the answer most first and the rest under these titles. A new group of
questions is one more record here and its questions in `questions.py`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    purpose: str
    """One line: what the group's answers decide."""


GROUPS: tuple[Group, ...] = (
    Group(
        "project",
        "Your project",
        "What you are building: the article's flowchart and its quick picks start here.",
    ),
    Group("team", "Your team", "Who builds and keeps it: what they know, how they work, how long."),
    Group(
        "load",
        "Traffic, latency and cost",
        "What it must carry and what hosting costs: the performance weight and the capacity plan.",
    ),
)
BY_KEY: dict[str, Group] = {g.key: g for g in GROUPS}
