"""The contract suite: every rule of RULES.md and openapi.yaml, checked over real HTTP.

`run(url)` works against any server, started by framematrix or already live with any data.
After the rule checks, a few more look at every answer the run received (no 5xx, all JSON,
no leaked traceback or version). The checks of the upstream and image endpoints run too: as
not applicable (reported, never dropped) for a contestant that lacks that part, and for the
upstream's failure modes when the suite does not hold the upstream the server calls.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from framematrix.contract import work_checks  # noqa: F401 - registers the /work checks
from framematrix.contract.checks import CHECKS
from framematrix.contract.client import Client, ConnectionFailed, Response
from framematrix.contract.context import CheckFailed, Context
from framematrix.contract.input_checks import INPUT_CHECKS
from framematrix.contract.workload_checks import WORKLOAD_CHECKS, WorkloadCheck
from framematrix.errors import FramematrixError
from framematrix.upstream.running import RunningUpstream

BLOG_CHECKS = (*CHECKS, *INPUT_CHECKS)
"""The blog's checks: what the API does, then what it refuses."""
LEAK_IN_BODY = re.compile(
    rb"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+|Werkzeug Debugger"
    rb"|DEBUG = True|(?i:gunicorn|uvicorn|granian|werkzeug|django|starlette|python)/\d"
)
VERSION = re.compile(r"\d+\.\d+")
VERSION_HEADERS = ("Server", "X-Powered-By")
UPSTREAM_FAILED = re.compile(r"/authors/[^/]+/profile")
"""The one path whose 502 and 504 are the contract's answers (RULES.md 20, 28-29)."""
SHOWN = 3
NO_UPSTREAM = "not applicable: the suite does not hold the upstream this server calls"


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    detail: str = ""
    applicable: bool = True
    """False for a part the contestant lacks (or an upstream the suite cannot control): the
    check did not run, `passed` is False and `detail` says why; it is not a failure."""


def reachable(base_url: str) -> None:
    """Raise one clear line unless something answers GET /health at `base_url`."""
    try:
        Client(base_url, timeout=5).get("/health")
    except ConnectionFailed as exc:
        raise FramematrixError(f"nothing answers at {base_url}: {exc}") from None


def run(
    base_url: str,
    upstream: RunningUpstream | None = None,
    upstream_timeout_s: float | None = None,
    lacks: Iterable[tuple[str, str]] = (),
) -> list[CheckResult]:
    """Every check against `base_url`, in order, then the checks over all answers.

    `upstream` is the upstream the server calls, for the checks that stop, stall or count it;
    `upstream_timeout_s` the timeout the server was given; `lacks` the (part, why) pairs of
    its `ContestantSpec`.
    """
    client = Client(base_url)
    ctx = Context(client, upstream, upstream_timeout_s)
    missing = dict(lacks)
    results = [run_check(ctx, name, check) for name, check in BLOG_CHECKS]
    for workload_check in WORKLOAD_CHECKS:
        reason = _not_applicable(workload_check, missing, upstream)
        if reason is None:
            results.append(run_check(ctx, workload_check.name, workload_check.run))
        else:
            results.append(CheckResult(workload_check.name, False, reason, applicable=False))
    try:
        ctx.cleanup()
    except ConnectionFailed as exc:
        results.append(CheckResult("clean up the data the run made", False, str(exc)))
    for name, finds in LOG_CHECKS:
        problems = [problem for response in client.log if (problem := finds(response))]
        results.append(CheckResult(name, not problems, _summary(problems)))
    return results


def run_check(ctx: Context, name: str, check: Callable[[Context], None]) -> CheckResult:
    try:
        check(ctx)
    except CheckFailed as exc:
        return CheckResult(name, False, str(exc))
    except Exception as exc:  # an answer the check did not foresee (say, a missing key)
        return CheckResult(name, False, f"{type(exc).__name__}: {exc}")
    return CheckResult(name, True)


def _not_applicable(
    check: WorkloadCheck, missing: dict[str, str], upstream: RunningUpstream | None
) -> str | None:
    if check.part in missing:
        return f"not applicable: the contestant lacks {check.part} ({missing[check.part]})"
    if check.needs_upstream and upstream is None:
        return NO_UPSTREAM
    return None


def check_names() -> list[str]:
    return (
        [name for name, _ in BLOG_CHECKS]
        + [check.name for check in WORKLOAD_CHECKS]
        + [name for name, _ in LOG_CHECKS]
    )


def _summary(problems: list[str]) -> str:
    more = f" (and {len(problems) - SHOWN} more)" if len(problems) > SHOWN else ""
    return "; ".join(problems[:SHOWN]) + more


def _server_error(response: Response) -> str | None:
    if response.status in (502, 504) and UPSTREAM_FAILED.fullmatch(response.path):
        return None
    return response.describe() if response.status >= 500 else None


def _image(response: Response) -> bool:
    """A 200 of GET /images/{name}: a JPEG, checked by the image checks, not as JSON."""
    return response.status == 200 and response.path.startswith("/images/")


def _not_json(response: Response) -> str | None:
    if response.status == 204:
        return None if not response.body else f"204 with a body: {response.describe()}"
    if _image(response):
        return None
    media, _, params = (response.header("Content-Type") or "").partition(";")
    charset = params.strip().lower().removeprefix("charset=").strip('"')
    if media.strip().lower() != "application/json" or charset not in ("", "utf-8"):
        return f"Content-Type {response.header('Content-Type')!r}: {response.describe()}"
    try:
        response.json()
    except ValueError:
        return f"body is not UTF-8 JSON: {response.describe()}"
    return None


def _no_detail(response: Response) -> str | None:
    if response.status < 400:
        return None
    try:
        body = response.json()
    except ValueError:
        return None  # reported by the JSON check
    return None if isinstance(body, dict) and "detail" in body else response.describe()


def _leak(response: Response) -> str | None:
    for name in VERSION_HEADERS:
        value = response.header(name)
        if value and VERSION.search(value):
            return f"{name}: {value!r} on {response.method} {response.path}"
    if not _image(response) and (match := LEAK_IN_BODY.search(response.body)):
        return f"{match.group().decode(errors='replace')!r} in {response.describe()}"
    return None


LOG_CHECKS: tuple[tuple[str, Callable[[Response], str | None]], ...] = (
    ("no 5xx in any answer", _server_error),
    ("every answer is JSON (a 204 is empty)", _not_json),
    ("every error body is an object with 'detail'", _no_detail),
    ("no traceback, debug page or server version in any answer", _leak),
)


def failures(results: Iterable[CheckResult]) -> list[CheckResult]:
    """The checks that ran and failed (not applicable ones are not failures)."""
    return [result for result in results if result.applicable and not result.passed]


def not_applicable(results: Iterable[CheckResult]) -> list[CheckResult]:
    return [result for result in results if not result.applicable]
