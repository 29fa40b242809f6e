"""The questions: the article's decision tree and its "Questions to ask yourself", as typed answers.

An answers file (YAML, JSON or TOML) maps these keys to values; missing answers get the defaults
stated here, and every problem in a file is reported, one line each, before anything is decided.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from framematrix.errors import FramematrixError

Kind = Literal["choice", "bool", "int", "number"]
EXTREME_RPS = 1000
"""The article's "extreme performance": more than 1,000 req/s."""


@dataclass(frozen=True)
class Question:
    key: str
    prompt: str
    why: str
    kind: Kind
    default: Any
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    positive: bool = False
    """True when the answer must be strictly greater than zero."""
    unit: str = ""


QUESTIONS: tuple[Question, ...] = (
    Question(
        "app_kind",
        "Are you building an API only, or a full web app with a frontend?",
        "The article's flowchart starts here.",
        "choice",
        "api",
        ("api", "web"),
    ),
    Question(
        "needs_admin",
        "Do you need an admin panel?",
        "Web apps with an admin panel lead to Django in the flowchart.",
        "bool",
        False,
    ),
    Question(
        "fast_development",
        "Does development speed matter more than flexibility?",
        "Web apps needing fast development lead to Django.",
        "bool",
        True,
    ),
    Question(
        "extreme_performance",
        "Do you need extreme performance (more than 1,000 req/s)?",
        "APIs needing it lead to FastAPI. Default: true when peak_rps > 1000.",
        "bool",
        None,
    ),
    Question(
        "auto_api_docs",
        "Do you want automatic API docs?",
        "APIs wanting generated OpenAPI docs lead to FastAPI.",
        "bool",
        False,
    ),
    Question(
        "team_experience",
        "Is your team experienced, or learning?",
        "Experienced API teams lead to Flask, learning ones to FastAPI.",
        "choice",
        "experienced",
        ("experienced", "learning"),
    ),
    Question(
        "team_size",
        "How many developers will work on it?",
        "The article's team-size advice differs for 1, 2-5, 6-15 and 15+.",
        "int",
        3,
        minimum=1,
        unit="developers",
    ),
    Question(
        "peak_rps",
        "What peak traffic do you expect?",
        "Sizes the capacity plan; 500+ req/s weighs performance and hosting cost.",
        "number",
        50,
        minimum=0,
        unit="req/s",
    ),
    Question(
        "p95_target_ms",
        "What 95th-percentile latency must you stay within?",
        "The capacity plan checks each framework's measured p95 against it.",
        "number",
        200,
        positive=True,
        unit="ms",
    ),
    Question(
        "maintenance_years",
        "How many years will it be maintained?",
        "Three years or more weighs maintenance cost and conventions.",
        "number",
        3,
        minimum=0,
        unit="years",
    ),
    Question(
        "realtime",
        "Do you need WebSockets or live updates?",
        "The article sends real-time applications to FastAPI.",
        "bool",
        False,
    ),
    Question(
        "price_vcpu_month",
        "What does one vCPU cost per month?",
        "Prices the capacity plan.",
        "number",
        20.0,
        minimum=0,
        unit="USD",
    ),
    Question(
        "price_gb_month",
        "What does one GB of memory cost per month?",
        "Prices the capacity plan.",
        "number",
        4.0,
        minimum=0,
        unit="USD",
    ),
)
BY_KEY: dict[str, Question] = {q.key: q for q in QUESTIONS}


class AnswersError(FramematrixError):
    """One or more bad answers; each problem is one line of `problems`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Answers:
    values: Mapping[str, Any]
    """Every key, given or defaulted."""
    given: Mapping[str, Any]
    """Only what the user answered; sensitivity changes these and resolves again."""

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def defaulted(self) -> list[str]:
        return [q.key for q in QUESTIONS if q.key not in self.given]


def _problem(question: Question, value: Any) -> str | None:
    """Why `value` is not an answer to `question`, or None when it is."""
    key, kind = question.key, question.kind
    if kind == "bool":
        return None if isinstance(value, bool) else f"{key} must be true or false, got {value!r}"
    if kind == "choice":
        if value in question.choices:
            return None
        options = " or ".join(repr(c) for c in question.choices)
        return f"{key} must be {options}, got {value!r}"
    is_int = isinstance(value, int) and not isinstance(value, bool)
    is_number = is_int or isinstance(value, float)
    if kind == "int" and not is_int:
        return f"{key} must be a whole number, got {value!r}"
    if not is_number:
        return f"{key} must be a number, got {value!r}"
    if question.positive and value <= 0:
        return f"{key} must be greater than 0, got {value!r}"
    if question.minimum is not None and value < question.minimum:
        return f"{key} must be at least {question.minimum:g}, got {value!r}"
    return None


def resolve(given: Mapping[str, Any]) -> Answers:
    """Check every given answer and fill in the defaults; all problems at once."""
    problems = []
    for key, value in given.items():
        if key not in BY_KEY:
            problems.append(f"unknown key {key!r}; known: {', '.join(BY_KEY)}")
        elif (problem := _problem(BY_KEY[key], value)) is not None:
            problems.append(problem)
    if problems:
        raise AnswersError(problems)
    values = {q.key: given.get(q.key, q.default) for q in QUESTIONS}
    if values["extreme_performance"] is None:
        values["extreme_performance"] = values["peak_rps"] > EXTREME_RPS
    return Answers(values, dict(given))


def read(path: Path) -> Answers:
    """Read and resolve an answers file; problems name the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FramematrixError(f"cannot read answers file {path}: {exc.strerror}") from None
    try:
        if path.suffix == ".toml":
            data: Any = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        first = str(exc).strip().splitlines()[0]
        raise AnswersError(
            [f"{path}: not valid {path.suffix.lstrip('.') or 'YAML'}: {first}"]
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise AnswersError([f"{path}: must be a mapping of answers, got {type(data).__name__}"])
    try:
        return resolve(data)
    except AnswersError as exc:
        raise AnswersError([f"{path}: {p}" for p in exc.problems]) from None
