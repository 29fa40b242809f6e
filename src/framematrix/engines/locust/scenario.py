"""The Locust side of the locust engine: what runs inside Locust's master and worker processes.

For each trial framematrix writes a small locustfile (`protocol.locustfile`) whose only code is
`ScenarioUser = install(CONFIG)`, CONFIG being the scenario's steps as data plus the trial's
settings. `install` turns it into one Locust user class and the two halves of the trial:

- every worker keeps a measured window: from the master's `fm_measure` message to its
  `fm_stop`, each response is logged into a Locust `StatsEntry` of the worker's own (Locust's
  own histogram and bucketing, untouched by its periodic reports to the master, which reset
  theirs) and each failure is counted by kind; then the worker sends it all back (`fm_result`);
- the master keeps the trial's clock: once every user is spawned it lets the warm-up run, opens
  the window on every worker at once, closes it after the duration, gathers the results into a
  JSON file, and quits, which stops the workers. It tells framematrix where it is in lines on
  stdout (`FRAMEMATRIX-LOCUST <event> <json>`).

Only Locust processes import this module (importing Locust patches the standard library for
gevent); framematrix itself reads its source, to sign the locustfiles it writes, and a worker
whose framematrix or Locust differs from the master's refuses the locustfile at import.
"""

from __future__ import annotations

import collections
import json
import os
import random
import re
import secrets
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gevent
import locust
from gevent.timeout import Timeout
from geventhttpclient._parser import HTTPParseError
from locust import FastHttpUser, constant, constant_throughput, events, runners, task
from locust.env import Environment
from locust.event import EventHook
from locust.stats import StatsEntry

from framematrix.engines.builtin.flows import Walk
from framematrix.engines.locust.protocol import (
    MARK,
    REFUSED,
    RESULT_WAIT_S,
    STALE,
    signature,
    worker_versions,
)
from framematrix.scenarios import FIELD

TICK_S = 0.25
REPORT_EVERY_S = 1.0
"""Workers report to the master (Locust's stats, our progress) every second, not every 3 s."""


def install(config: dict[str, Any]) -> type[FastHttpUser]:
    """The user class for the locustfile's namespace, with the trial's master or worker side
    set up when Locust starts. A worker refuses (exit 2, one line) a locustfile written by
    another framematrix or Locust; the master (always started with `--master` by the
    framematrix that wrote the file) does not need to ask."""
    wanted = {"framematrix": config["framematrix"], "locust": config["locust"]}
    have = worker_versions(signature(), locust.__version__)
    if have != wanted and "--master" not in sys.argv:
        sys.stderr.write(
            f"framematrix: refused the master's locustfile: it needs framematrix "
            f"{wanted['framematrix']} with Locust {wanted['locust']}, this worker has "
            f"framematrix {have['framematrix']} with Locust {have['locust']}: install the "
            "master's versions here\n"
        )
        sys.exit(REFUSED)

    def _options(parser: Any, **_: Any) -> None:
        parser.add_argument("--fm-trial", default="", help="framematrix: the trial's token")
        parser.add_argument("--fm-result", default="", help="framematrix: where results go")

    def _sides(environment: Environment, runner: Any, **_: Any) -> None:
        if isinstance(runner, runners.MasterRunner):
            MasterClock(environment, runner, config)
        elif isinstance(runner, runners.WorkerRunner):
            runners.WORKER_REPORT_INTERVAL = REPORT_EVERY_S
            WorkerWindow(environment, runner, config)

    listen(events.init_command_line_parser, _options)
    listen(events.init, _sides)
    return user_class(config)


def listen(hook: EventHook, handler: Callable[..., None]) -> None:
    """Add a listener to one of Locust's events."""
    hook.add_listener(handler)  # type: ignore[no-untyped-call]  # Locust leaves it unannotated


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    body: str | None
    expect: int
    carries_id: bool
    """The first step of a flow: its response body carries the id the next steps use."""

    @property
    def name(self) -> str:
        """How Locust's own tables name the step."""
        return f"{self.method} {self.path}"


class Flow(Walk[Step]):
    """One virtual user's walk through the scenario, as builtin's (`Walk`), filling the
    templates with random choices from its own seeded generator."""

    def __init__(
        self, config: dict[str, Any], steps: tuple[Step, ...], worker: int, user: int, run: str
    ) -> None:
        super().__init__(steps)
        self.user = user
        self.run = run
        self.authors = int(config["authors"])
        self.rng = random.Random(f"{config['seed']}/w{worker}/{user}")

    def fill(self, template: str) -> str:
        def value(field: re.Match[str]) -> str:
            name = field.group(1)
            if name == "author":
                return str(self.rng.randint(1, self.authors))
            return str({"id": self.flow_id, "user": self.user, "n": self.n, "run": self.run}[name])

        return FIELD.sub(value, template)


def user_class(config: dict[str, Any]) -> type[FastHttpUser]:
    steps = tuple(Step(**step) for step in config["steps"])
    success = frozenset(config["success"])
    headers = {"Accept-Encoding": "identity"}  # as builtin and wrk: ask for no compression
    if config["connection_close"]:
        headers["Connection"] = "close"
    with_body = {**headers, "Content-Type": "application/json"}
    rate = config["rate_per_user"]

    class ScenarioUser(FastHttpUser):
        host = config["base_url"]
        network_timeout = connection_timeout = float(config["timeout_s"])
        max_retries = 0
        wait_time = constant_throughput(rate) if rate else constant(0)
        started_users = 0
        run_token = ""

        def on_start(self) -> None:
            cls = type(self)
            index = getattr(self.environment.runner, "worker_index", 0)
            if not cls.run_token:  # one token per worker, as builtin has one per process
                cls.run_token = f"{secrets.token_hex(3)}w{index}"
            cls.started_users += 1
            self.flow = Flow(config, steps, index, cls.started_users, cls.run_token)

        @task
        def next_step(self) -> None:
            flow = self.flow
            step = steps[flow.step]
            body = None if step.body is None else flow.fill(step.body)
            with self.client.request(
                step.method,
                flow.fill(step.path),
                name=step.name,
                data=body,
                headers=headers if body is None else with_body,
                catch_response=True,
                allow_redirects=False,
            ) as response:
                status = response.status_code
                if not status:
                    response.failure(error_kind(response.error))
                    flow.restart()
                    return
                if status in success:
                    response.success()
                else:
                    response.failure(f"status:{status}")
                flow.advance(status, (response.content or b"") if step.carries_id else b"")

    return ScenarioUser


def error_kind(error: BaseException | None) -> str:
    """framematrix's kind for a request that got no response (engines/base.py, `errors`)."""
    error = getattr(error, "original", None) or error  # retries-exceeded wraps the last error
    if isinstance(error, HTTPParseError):
        return "protocol"
    if isinstance(error, TimeoutError | socket.timeout | Timeout):
        return "timeout"
    if isinstance(error, ConnectionRefusedError | socket.gaierror):
        return "connect"
    return "read"


class WorkerWindow:
    """A worker's measured window: Locust's own histogram of the responses inside it."""

    def __init__(self, environment: Environment, runner: Any, config: dict[str, Any]) -> None:
        self.runner = runner
        self.trial = config["trial"]
        self.open = False
        self.responses = StatsEntry(environment.stats, "framematrix window", "")
        self.errors: collections.Counter[str] = collections.Counter()
        self.started = self.cpu = 0.0
        self.users = 0
        self.cpu_peak = 0.0
        listen(environment.events.request, self.request)
        listen(environment.events.cpu_warning, self.cpu_warning)
        listen(environment.events.test_start, self.test_start)
        runner.register_message("fm_measure", self.start)
        runner.register_message("fm_stop", self.stop)

    def test_start(self, environment: Environment, **_: Any) -> None:
        """A worker that downloaded an earlier trial's locustfile must not send its load."""
        asked = getattr(environment.parsed_options, "fm_trial", "")
        if asked and asked != self.trial:
            sys.stderr.write(f"framematrix: stale locustfile (trial {self.trial}, not {asked})\n")
            sys.stderr.flush()
            os._exit(STALE)

    def request(
        self,
        response_time: float,
        response_length: int = 0,
        response: Any = None,
        exception: BaseException | None = None,
        **_: Any,
    ) -> None:
        if not self.open:
            return
        if response is not None and response.status_code:
            # Locust's own stub says int, yet it times requests in float ms and rounds them itself
            self.responses.log(response_time, response_length)  # type: ignore[arg-type]
        if exception is not None:
            self.errors[str(exception)] += 1  # the kind the task named in response.failure()

    def cpu_warning(self, cpu_usage: float, **_: Any) -> None:
        if self.open:
            self.cpu_peak = max(self.cpu_peak, cpu_usage)

    def start(self, **_: Any) -> None:
        self.responses.reset()  # type: ignore[no-untyped-call]  # Locust leaves it unannotated
        self.errors.clear()
        self.cpu_peak = 0.0
        self.users = self.runner.user_count
        self.started, self.cpu = time.monotonic(), time.process_time()
        self.open = True

    def stop(self, **_: Any) -> None:
        self.open = False
        entry = self.responses
        self.runner.send_message(
            "fm_result",
            {
                "index": self.runner.worker_index,
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "window_s": time.monotonic() - self.started,
                "cpu_s": time.process_time() - self.cpu,
                "users": self.users,
                "responses": entry.num_requests,
                "response_times": {int(ms): n for ms, n in entry.response_times.items()},
                "min_ms": entry.min_response_time,
                "max_ms": entry.max_response_time,
                "errors": dict(self.errors),
                "locust_cpu_warning": self.cpu_peak,
            },
        )


class MasterClock:
    """The master's side: warm-up, the measured window on every worker, the results file."""

    def __init__(self, environment: Environment, runner: Any, config: dict[str, Any]) -> None:
        self.environment = environment
        self.runner = runner
        self.config = config
        self.results: dict[str, dict[str, Any]] = {}
        self.responses: collections.Counter[str] = collections.Counter()
        self.seen: set[str] = set()
        self.started = False
        listen(environment.events.worker_connect, self.joined)
        listen(environment.events.spawning_complete, self.spawned)
        listen(environment.events.worker_report, self.reported)
        runner.register_message("fm_result", self.result)

    def joined(self, client_id: str, **_: Any) -> None:
        self.seen.add(client_id)  # Locust fires this before it counts the worker in
        say("joined", workers=len(self.seen))

    def reported(self, client_id: str, data: dict[str, Any], **_: Any) -> None:
        self.responses[client_id] += int(data.get("stats_total", {}).get("num_requests", 0))
        say("progress", responses=sum(self.responses.values()))

    def result(self, msg: Any, **_: Any) -> None:
        self.results[msg.node_id] = msg.data

    def spawned(self, user_count: int, **_: Any) -> None:
        if not self.started:
            self.started = True
            say("spawned", users=user_count)
            gevent.spawn(self.finish)

    def finish(self) -> None:
        try:
            outcome = self.measure()
        except Exception as exc:  # the trial fails with the reason, Locust does not hang
            outcome = {"failed": f"framematrix's Locust master failed: {exc!r}"}
        options = self.environment.parsed_options
        assert options is not None  # Locust parses its command line before any test starts
        path = options.fm_result
        with open(path, "w", encoding="utf-8") as file:
            json.dump(outcome, file)
        say("done")
        self.runner.quit()

    def measure(self) -> dict[str, Any]:
        gevent.sleep(self.config["warmup_s"])
        measured = {
            c.id: self.worker_name(c.id)
            for c in self.runner.clients.all
            if c.state != runners.STATE_MISSING
        }
        self.runner.send_message("fm_measure")
        started, cpu = time.monotonic(), time.process_time()
        say("measuring", workers=len(measured))
        end = started + self.config["duration_s"]
        while (left := end - time.monotonic()) > 0:
            gevent.sleep(min(TICK_S, left))
            lost = [name for worker, name in measured.items() if self.lost(worker)]
            if lost:
                return {
                    "failed": f"locust {', '.join(lost)} stopped answering "
                    f"{time.monotonic() - started:.1f} s into the measured window"
                }
        self.runner.send_message("fm_stop")
        window_s, cpu_s = time.monotonic() - started, time.process_time() - cpu
        deadline = time.monotonic() + RESULT_WAIT_S
        while set(measured) - set(self.results) and time.monotonic() < deadline:
            gevent.sleep(0.05)
        return {
            "window_s": window_s,
            "master_cpu_s": cpu_s,
            "workers": [self.results[worker] for worker in measured if worker in self.results],
            "missing": [name for worker, name in measured.items() if worker not in self.results],
        }

    def lost(self, worker: str) -> bool:
        client = self.runner.clients.get(worker)
        return client is None or client.state == runners.STATE_MISSING

    def worker_name(self, worker: str) -> str:
        host = worker.rsplit("_", 1)[0]
        return f"worker {self.runner.get_worker_index(worker)} ({host})"


def say(event: str, **data: Any) -> None:
    """One line for framematrix, which reads the master's stdout."""
    sys.stdout.write(f"{MARK}{event} {json.dumps(data)}\n")
    sys.stdout.flush()
