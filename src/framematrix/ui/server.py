"""The local web page, served by the stdlib: a run's answer and charts, the questionnaire and
the decision it leads to, runs started and watched from the page, and two runs compared.

- GET / [?run=ID]: the chosen run (default: the latest) with its verdicts, quality and charts,
  and the questionnaire; POST / decides (with the form's `run`) and shows the result;
  POST /api/decide [?run=ID] takes the answers as JSON and returns `Decision.to_json()`.
- POST /job starts a quick `matrix` or a `bench` (`ui.jobs`); GET /job shows its progress (the
  page reloads itself while it runs) and then its results; POST /job/cancel stops it like Ctrl-C,
  keeping the finished trials; GET /api/job is the progress as JSON.
- GET /compare?a=ID&b=ID[&ignore=db]: two runs side by side; GET /runs/ID/report: a run's report.

Everything is rendered on the server: the page has no script and loads nothing from elsewhere.
There is no authentication: it listens on 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape

from framematrix.claims import ledger
from framematrix.contestants.registry import CONTESTANTS
from framematrix.decide import capacity, closeness, engine, evidence, knowledge, questions, render
from framematrix.errors import FramematrixError
from framematrix.report import charts, claims_ledger
from framematrix.report import html as html_report
from framematrix.results.store import DEFAULT_ROOT, Run
from framematrix.scenarios import SCENARIOS
from framematrix.ui import questionnaire, views
from framematrix.ui.jobs import JobOptions, Jobs

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
    """What one request renders: the chosen run (the one named, else the latest, as `framematrix
    decide` takes it), the form, and a decision or the problems with the answers; without a
    usable run the page says so and decides on the article's figures."""

    def __init__(
        self, run: str | None, root: Path = DEFAULT_ROOT, jobs: Jobs | None = None
    ) -> None:
        self.kb = knowledge.load()
        self.form = questionnaire.layout()  # counted here, once, not on the first visitor's time
        self.root = root
        self.default_run = run
        self.reports = views.Reports()
        self.jobs = jobs or Jobs(root)

    def chosen(self, run: str | None) -> tuple[Run | None, str]:
        try:
            return Run.find(run or self.default_run, self.root), ""
        except FramematrixError as exc:
            return None, str(exc)

    def evidence_of(self, run_id: str | None) -> tuple[evidence.Evidence | None, str]:
        """The evidence of the run named (else the latest, as `framematrix decide` takes it) and
        the line saying which run was used, or that the article's figures were."""
        try:
            return evidence.choose(run_id or self.default_run, self.kb, self.root)
        except FramematrixError as exc:
            return None, f"run not used ({exc}): the article's figures"

    def decide(
        self, given: dict[str, Any], measured: evidence.Evidence | None, note: str
    ) -> engine.Decision:
        return engine.decide(questions.resolve(given), measured, self.kb, note)

    def render(
        self, given: dict[str, Any] | None = None, run_id: str | None = None
    ) -> tuple[int, str]:
        run, run_note = self.chosen(run_id)
        measured, evidence_note = self.evidence_of(run_id)
        decision, problems = None, []
        if given is not None:
            try:
                decision = self.decide(given, measured, evidence_note)
            except questions.AnswersError as exc:
                problems = exc.problems
        view = None
        if run is not None:
            try:
                view = views.run_view(self.reports.of(run))
            except (FramematrixError, OSError) as exc:
                run_note = f"cannot show run {run.id}: {exc}"
        current = self.jobs.current
        html = TEMPLATES.get_template("page.html").render(
            form=self.form,
            frameworks={f: self.kb.frameworks[f].label for f in questions.FRAMEWORKS},
            given=given or {},
            decision=decision,
            problems=problems,
            run=measured,
            run_note=run_note,
            evidence_note=evidence_note,
            chosen=run.id if run else "",
            runs=views.choices(self.root),
            view=view,
            job=current.progress() if current else None,
            start=JobOptions(),
            contestants=list(CONTESTANTS),
            scenarios=list(SCENARIOS),
            score_chart=score_chart(decision) if decision else "",
            model=capacity.MODEL,
            kind_mark=render.KIND_MARK,
            kind_legend=render.KIND_LEGEND,
            close_rule=closeness.RULE,
            ledger=claims_ledger.html(
                self.reports.of(run).every_claim() if run else ledger.entries()
            ),
        )
        return (HTTPStatus.BAD_REQUEST if problems else HTTPStatus.OK), html

    def job_page(self, error: str = "") -> tuple[int, str]:
        current = self.jobs.current
        progress = current.progress() if current else None
        results = None
        # One reading of the state for the whole page: the child may end between two readings,
        # and a page must not show a finished run's results beside "running".
        finished = progress is not None and progress["state"] not in ("starting", "running")
        if current is not None and progress and progress["run"] and finished:
            run = current.run()
            if run is not None and run.meta().get("plan"):
                results = views.result_tables(self.reports.of(run))
        html = TEMPLATES.get_template("job.html").render(job=progress, results=results, error=error)
        return (HTTPStatus.BAD_REQUEST if error else HTTPStatus.OK), html

    def compare_page(self, query: Mapping[str, list[str]]) -> tuple[int, str]:
        a, b = (query.get(k, [""])[-1] for k in ("a", "b"))
        ignore = query.get("ignore", [""])[-1]
        context: dict[str, Any] = {"a": a, "b": b, "ignore": ignore, "error": ""}
        try:
            context |= views.comparison(self.root, a, b, ignore)
        except FramematrixError as exc:
            context["error"] = str(exc)
        html = TEMPLATES.get_template("compare.html").render(**context)
        return (HTTPStatus.BAD_REQUEST if context["error"] else HTTPStatus.OK), html

    def report(self, run_id: str) -> tuple[int, str]:
        try:
            run = Run.open(run_id, self.root)
        except FramematrixError as exc:
            return HTTPStatus.NOT_FOUND, str(exc)
        return HTTPStatus.OK, html_report.render(self.reports.of(run))


def job_options(form: Mapping[str, list[str]]) -> JobOptions:
    def field(name: str, default: str) -> str:
        return form.get(name, [default])[-1].strip() or default

    defaults = JobOptions()
    picked = form.get("contestants") or []
    try:
        trials = int(field("trials", str(defaults.trials)))
    except ValueError:
        raise FramematrixError("trials must be a whole number") from None
    return JobOptions(
        kind=field("kind", defaults.kind),
        contestants=",".join(picked) or defaults.contestants,
        scenario=field("scenario", defaults.scenario),
        concurrency=field("concurrency", defaults.concurrency),
        duration=field("duration", defaults.duration),
        warmup=field("warmup", defaults.warmup),
        trials=trials,
        engine=form.get("engine", [""])[-1].strip(),
    )


class UiServer(ThreadingHTTPServer):
    """The page's HTTP server; closing it stops the run it started, if one is going."""

    daemon_threads = True
    page: Page

    def server_close(self) -> None:
        self.page.jobs.stop()
        super().server_close()


def make_server(
    host: str, port: int, run: str | None = None, root: Path = DEFAULT_ROOT
) -> UiServer:
    """A server bound and ready; the caller runs `serve_forever()` and closes it."""
    page = Page(run, root)

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

        def _redirect(self, where: str) -> None:
            self.send_response(HTTPStatus.SEE_OTHER)
            self.send_header("Location", where)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _body(self) -> str:
            length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
            return self.rfile.read(length).decode("utf-8", "replace")

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            if url.path == "/":
                self._send(*page.render(run_id=query.get("run", [""])[-1] or None))
            elif url.path == "/job":
                self._send(*page.job_page())
            elif url.path == "/api/job":
                current = page.jobs.current
                self._send(
                    HTTPStatus.OK,
                    json.dumps(current.progress() if current else None),
                    "application/json",
                )
            elif url.path == "/compare":
                self._send(*page.compare_page(query))
            elif url.path.startswith("/runs/") and url.path.endswith("/report"):
                self._send(*page.report(url.path.removeprefix("/runs/").removesuffix("/report")))
            elif url.path == "/favicon.ico":
                self._send(HTTPStatus.NO_CONTENT, "", "image/x-icon")
            else:
                self._send(HTTPStatus.NOT_FOUND, "not found", "text/plain")

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/":
                form = parse_qs(self._body())
                run_id = form.pop("run", [""])[-1] or None
                self._send(*page.render(form_answers(form), run_id))
            elif url.path == "/api/decide":
                self._api(parse_qs(url.query).get("run", [""])[-1] or None)
            elif url.path == "/job":
                try:
                    page.jobs.start(job_options(parse_qs(self._body())))
                except FramematrixError as exc:
                    self._send(*page.job_page(error=str(exc)))
                    return
                self._redirect("/job")
            elif url.path == "/job/cancel":
                page.jobs.cancel()
                self._redirect("/job")
            else:
                self._send(HTTPStatus.NOT_FOUND, "not found", "text/plain")

        def _api(self, run_id: str | None) -> None:
            kind = "application/json"
            measured, note = page.evidence_of(run_id)
            try:
                given = json.loads(self._body() or "{}")
                if not isinstance(given, dict):
                    raise questions.AnswersError(["answers must be a JSON object"])
                decision = page.decide(given, measured, note)
            except ValueError:
                self._send(HTTPStatus.BAD_REQUEST, '{"problems": ["not JSON"]}', kind)
                return
            except questions.AnswersError as exc:
                self._send(HTTPStatus.BAD_REQUEST, json.dumps({"problems": exc.problems}), kind)
                return
            self._send(HTTPStatus.OK, json.dumps(decision.to_json(), default=str), kind)

    try:
        server = UiServer((host, port), Handler)
    except OSError as exc:
        raise FramematrixError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    server.page = page
    return server
