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
        "request",
        "What does a typical request of your app do?",
        "Its work and its peak rate: decide --measure measures exactly that request in every "
        "framework and ranks on it; the capacity plan sizes the peak.",
    ),
    Group(
        "load",
        "Performance targets and cost",
        "How fast and how cheap it must be: the performance weight, the latency target and the "
        "capacity plan's prices.",
    ),
)
BY_KEY: dict[str, Group] = {g.key: g for g in GROUPS}
