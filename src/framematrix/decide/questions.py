"""The questions: the article's decision tree and its "Questions to ask yourself", as typed answers.

An answers file (YAML, JSON or TOML) maps these keys to values; missing answers get the defaults
stated here, and every problem in a file is reported, one line each, before anything is decided.
An unanswered question weighs nothing in the weighted matrix (`Answers.weighed`); its default
serves only the flowchart, on the path where the flowchart asks it, and the capacity plan.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from framematrix.decide import request as described
from framematrix.decide import tree
from framematrix.decide.question import Question
from framematrix.errors import FramematrixError
from framematrix.scenarios import WORKLOADS

EXTREME_RPS = 1000
"""The article's "extreme performance": more than 1,000 req/s."""
FRAMEWORKS = ("django", "fastapi", "flask")
WORKLOAD_CHOICES: tuple[str, ...] = tuple(w for w in WORKLOADS if w != "realtime")
"""What requests mostly do; real time has a question of its own (`realtime`)."""


QUESTIONS: tuple[Question, ...] = (
    Question(
        "app_kind",
        "Are you building an API only, or a full web app with a frontend?",
        "article § Final Verdict: the flowchart starts here; § Your Turn asks it first.",
        "choice",
        "api",
        ("api", "web"),
        group="project",
    ),
    Question(
        "needs_admin",
        "Do you need an admin panel?",
        "article § Final Verdict: a web app with an admin panel leads to Django.",
        "bool",
        False,
        group="project",
    ),
    Question(
        "fast_development",
        "Does development speed matter more than runtime performance?",
        "article § Your Turn: development speed or runtime performance? The flowchart asks it of "
        "web apps without an admin panel (default yes there; unanswered elsewhere).",
        "bool",
        True,
        flowchart=True,
        group="project",
    ),
    Question(
        "extreme_performance",
        "Do you need extreme performance (more than 1,000 req/s)?",
        "article § Final Verdict: an API needing it leads to FastAPI. Default: peak_rps > 1000.",
        "bool",
        None,
        group="load",
    ),
    Question(
        "auto_api_docs",
        "Do you want automatic API docs?",
        "article § Final Verdict: an API wanting generated OpenAPI docs leads to FastAPI.",
        "bool",
        False,
        group="project",
    ),
    Question(
        "team_experience",
        "Is your team experienced, or learning?",
        "article § Final Verdict: experienced API teams lead to Flask, learning ones to FastAPI "
        "(default learning where the flowchart asks it: the article's pick for a new API).",
        "choice",
        "learning",
        ("experienced", "learning"),
        flowchart=True,
        group="team",
    ),
    Question(
        "architecture",
        "One application (monolith), or several small services (microservices)?",
        "article § Team Size (15+: monolith Django, microservices FastAPI/Flask), § For "
        "Enterprise, § For Startups, and the pick 'Microservice? -> Flask or FastAPI'.",
        "choice",
        None,
        ("monolith", "microservices"),
        group="project",
    ),
    Question(
        "structure",
        "Does your team prefer structure (conventions) or flexibility?",
        "article § Your Turn: 'Does my team prefer structure or flexibility?' Conventions lead "
        "to Django, flexibility to Flask.",
        "choice",
        None,
        ("conventions", "flexibility"),
        group="team",
    ),
    Question(
        "team_knows",
        "Which of Django, FastAPI and Flask does your team already use?",
        "article § Conclusion: the best framework is the one your team knows; § When Flask Won: "
        "the team already knew Flask.",
        "frameworks",
        (),
        group="team",
    ),
    Question(
        "existing_app",
        "Is this replacing an existing app? In which framework (or none)?",
        "article § Migration Real Talk and § Migration Paths: what a move costs, and staying put.",
        "choice",
        "none",
        ("none", *FRAMEWORKS),
        group="project",
    ),
    Question(
        "prototype",
        "Is it a prototype or proof of concept?",
        "article § Quick Decision Tree: Flask for prototyping and proofs of concept.",
        "bool",
        False,
        group="project",
    ),
    Question(
        "content_heavy",
        "Is it a content-heavy site (CMS, blog, e-commerce)?",
        "article § Quick Decision Tree: Django for content-heavy sites; § When Django Won.",
        "bool",
        False,
        group="project",
    ),
    Question(
        "learning_project",
        "Is the project mainly for learning web development?",
        "article § For Beginners and the pick 'Learning project? -> Flask first'.",
        "bool",
        False,
        group="project",
    ),
    Question(
        "realtime",
        "Do you need WebSockets or live updates?",
        "article § Reality Check: real-time applications lead to FastAPI.",
        "bool",
        False,
        group="project",
    ),
    Question(
        "workload",
        "What do requests mostly do: query the database, wait on other services, or compute?",
        "Picks which of a run's measurements stand for performance (article § For Enterprise: "
        "service-to-service communication -> FastAPI).",
        "choice",
        "database",
        WORKLOAD_CHOICES,
        group="load",
    ),
    Question(
        "team_size",
        "How many developers will work on it?",
        "article § Team Size Recommendations: 1, 2-5, 6-15 and 15+ have different winners.",
        "int",
        None,
        minimum=1,
        unit="developers",
        group="team",
    ),
    *described.QUESTIONS,
    Question(
        "peak_rps",
        "What peak traffic do you expect?",
        "article § Your Turn: how much traffic? Sizes the capacity plan; 500+ req/s weighs "
        "performance and hosting cost.",
        "number",
        50,
        minimum=0,
        unit="req/s",
        group="request",
    ),
    Question(
        "p95_target_ms",
        "What 95th-percentile latency must you stay within?",
        "The capacity plan checks each framework's p95 against it.",
        "number",
        200,
        positive=True,
        unit="ms",
        group="load",
    ),
    Question(
        "maintenance_years",
        "How many years will it be maintained?",
        "article § Your Turn: how long will it be maintained? Three years or more weighs "
        "maintenance cost, conventions and security.",
        "number",
        None,
        minimum=0,
        unit="years",
        group="team",
    ),
    Question(
        "price_vcpu_month",
        "What does one vCPU cost per month?",
        "Prices the capacity plan.",
        "number",
        20.0,
        minimum=0,
        unit="USD",
        group="load",
    ),
    Question(
        "price_gb_month",
        "What does one GB of memory cost per month?",
        "Prices the capacity plan.",
        "number",
        4.0,
        minimum=0,
        unit="USD",
        group="load",
    ),
)
BY_KEY: dict[str, Question] = {q.key: q for q in QUESTIONS}
FLOWCHART_DEFAULTS: dict[str, Any] = {q.key: q.default for q in QUESTIONS if q.flowchart}


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
    weighed: Mapping[str, Any]
    """What the weighted matrix reads: every key, None where unanswered (an unanswered question
    weighs nothing), with "extreme performance" derived from a given peak."""

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def request(self) -> described.Request | None:
        """What a typical request of the app does, when these answers describe one."""
        return described.of(self.values, self.given)

    def defaulted(self) -> list[str]:
        return [q.key for q in QUESTIONS if q.key not in self.given]

    def walk(self) -> tree.TreeResult:
        """The article's flowchart for these answers; its steps say which took a default."""
        unanswered = {k: None for k in FLOWCHART_DEFAULTS if k not in self.given}
        walked = tree.walk({**self.values, **unanswered}, FLOWCHART_DEFAULTS)
        path = tuple(replace(st, defaulted=st.question not in self.given) for st in walked.path)
        return replace(walked, path=path)


def _problem(question: Question, value: Any) -> str | None:
    """Why `value` is not an answer to `question`, or None when it is."""
    key, kind = question.key, question.kind
    if kind == "bool":
        return None if isinstance(value, bool) else f"{key} must be true or false, got {value!r}"
    if kind == "frameworks":
        if isinstance(value, list | tuple) and all(v in FRAMEWORKS for v in value):
            return None
        return f"{key} must be a list of {', '.join(FRAMEWORKS)}, got {value!r}"
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
    if question.maximum is not None and value > question.maximum:
        return f"{key} must be at most {question.maximum:g}, got {value!r}"
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
    values = {q.key: given.get(q.key, None if q.flowchart else q.default) for q in QUESTIONS}
    weighed = {q.key: given.get(q.key) for q in QUESTIONS}
    values["team_knows"] = tuple(dict.fromkeys(values["team_knows"]))
    weighed["team_knows"] = values["team_knows"]
    if values["extreme_performance"] is None:
        values["extreme_performance"] = values["peak_rps"] > EXTREME_RPS
        if "peak_rps" in given:
            weighed["extreme_performance"] = values["extreme_performance"]
    for step in tree.walk(values, FLOWCHART_DEFAULTS).path:
        values[step.question] = step.answer
    return Answers(values, dict(given), weighed)


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
