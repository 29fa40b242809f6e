"""The local web page: the questionnaire, and the decision it leads to, served by the stdlib.

GET / shows the questionnaire (and the latest run's charts); POST / decides and shows the result
under the form; POST /api/decide takes the answers as JSON and returns `Decision.to_json()`.
Everything is rendered on the server: the page has no script and loads nothing from elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from jinja2 import Environment, PackageLoader, select_autoescape

from framematrix.article import ledger
from framematrix.decide import capacity, closeness, engine, evidence, knowledge, questions, render
from framematrix.errors import FramematrixError
from framematrix.report import charts
from framematrix.store import DEFAULT_ROOT, Run

MAX_BODY = 64 * 1024
STACKED_TOP = 7
TEMPLATES = Environment(loader=PackageLoader("framematrix.ui"), autoescape=select_autoescape())


def form_answers(form: Mapping[str, list[str]]) -> dict[str, Any]:
    """Form fields -> given answers; empty fields are left to their defaults, and text that is
    not a number stays text so that `questions.resolve` reports it."""
    given: dict[str, Any] = {}
    for key, raw in form.items():
        text = raw[-1].strip()
        question = questions.BY_KEY.get(key)
        if not text:
            continue
        if question is None:
            given[key] = text
        elif question.kind == "frameworks":
            given[key] = [v.strip() for v in raw if v.strip()]
        elif question.kind == "bool":
            given[key] = {"yes": True, "no": False}.get(text, text)
        elif question.kind in ("int", "number"):
            try:
                number = float(text)
                given[key] = int(number) if number.is_integer() else number
            except ValueError:
                given[key] = text
        else:
            given[key] = text
    return given


def run_charts(run: evidence.Evidence, kb: knowledge.KnowledgeBase) -> list[str]:
    label = {f: kb.frameworks[f].label for f in run.frameworks}

    def by(field: str) -> dict[str, float]:
        return {label[f]: v for f, e in run.frameworks.items() if (v := getattr(e, field))}

    return [
        charts.bars("Throughput", by("rps"), "req/s"),
        charts.bars("Latency p95", by("p95_ms"), "ms", better="lower"),
        charts.bars("Memory (PSS, whole server)", by("pss_mb"), "MB", better="lower"),
        charts.bars("Server CPU per 1,000 requests", by("cpu_s_per_1k"), "s", better="lower"),
    ]


def score_chart(decision: engine.Decision) -> str:
    s = decision.scored
    top = sorted(s.weights, key=lambda c: (-s.weights[c], c))[:STACKED_TOP]
    legend = {c: decision.kb.criteria[c].label for c in top} | {"other": "other criteria"}
    rows = {}
    for f in s.ranking:
        row = {c: s.contributions[f][c] for c in top}
        row["other"] = s.scores[f] - sum(row.values())
        rows[decision.label(f)] = row
    return charts.stacked("Score, by criterion", rows, legend)


class Page:
    """What one request renders: the form, and a decision or the problems with the answers.

    The run is the one named, else the latest under `root`, as `framematrix decide` takes it;
    without a usable run the page says so and decides on the article's figures."""

    def __init__(self, run: str | None, root: Path = DEFAULT_ROOT) -> None:
        self.kb = knowledge.load()
        self.run: evidence.Evidence | None = None
        try:
            self.run, self.run_note = evidence.choose(run, self.kb, root)
        except FramematrixError as exc:
            self.run_note = f"run not used ({exc}): the article's figures"
        self.ledger = ledger.for_run(Run(self.run.path) if self.run else None)

    def decide(self, given: dict[str, Any]) -> engine.Decision:
        return engine.decide(questions.resolve(given), self.run, self.kb, self.run_note)

    def render(self, given: dict[str, Any] | None = None) -> tuple[int, str]:
        decision, problems = None, []
        if given is not None:
            try:
                decision = self.decide(given)
            except questions.AnswersError as exc:
                problems = exc.problems
        html = TEMPLATES.get_template("page.html").render(
            questions=questions.QUESTIONS,
            given=given or {},
            decision=decision,
            problems=problems,
            run=self.run,
            run_note=self.run_note,
            run_charts=run_charts(self.run, self.kb) if self.run else [],
            score_chart=score_chart(decision) if decision else "",
            model=capacity.MODEL,
            kind_mark=render.KIND_MARK,
            kind_legend=render.KIND_LEGEND,
            close_rule=closeness.RULE,
            ledger=ledger.html(self.ledger),
        )
        return (HTTPStatus.BAD_REQUEST if problems else HTTPStatus.OK), html


def make_server(host: str, port: int, run: str | None = None) -> ThreadingHTTPServer:
    """A server bound and ready; the caller runs `serve_forever()` and closes it."""
    page = Page(run)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet: the terminal is the UI's
            return

        def _send(self, status: int, body: str, kind: str = "text/html; charset=utf-8") -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> str:
            length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
            return self.rfile.read(length).decode("utf-8", "replace")

        def do_GET(self) -> None:
            if self.path.split("?")[0] == "/":
                self._send(*page.render())
            elif self.path == "/favicon.ico":
                self._send(HTTPStatus.NO_CONTENT, "", "image/x-icon")
            else:
                self._send(HTTPStatus.NOT_FOUND, "not found", "text/plain")

        def do_POST(self) -> None:
            if self.path == "/":
                self._send(*page.render(form_answers(parse_qs(self._body()))))
            elif self.path == "/api/decide":
                self._api()
            else:
                self._send(HTTPStatus.NOT_FOUND, "not found", "text/plain")

        def _api(self) -> None:
            kind = "application/json"
            try:
                given = json.loads(self._body() or "{}")
                if not isinstance(given, dict):
                    raise questions.AnswersError(["answers must be a JSON object"])
                decision = page.decide(given)
            except ValueError:
                self._send(HTTPStatus.BAD_REQUEST, '{"problems": ["not JSON"]}', kind)
                return
            except questions.AnswersError as exc:
                self._send(HTTPStatus.BAD_REQUEST, json.dumps({"problems": exc.problems}), kind)
                return
            self._send(HTTPStatus.OK, json.dumps(decision.to_json(), default=str), kind)

    try:
        return ThreadingHTTPServer((host, port), Handler)
    except OSError as exc:
        raise FramematrixError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
