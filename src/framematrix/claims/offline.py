"""The article's claims that can be checked without a run: from the installed distributions'
metadata, the frameworks' own defaults, and the article's own arithmetic.

Each check returns (verdict, evidence); the catalogue names them (`catalog.OfflineCheck`) and
the ledger (`claims.ledger`) runs them.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from importlib import metadata

from packaging.markers import default_environment
from packaging.requirements import InvalidRequirement, Requirement

from framematrix.claims.article import ARTICLE
from framematrix.claims.judge import Verdict

Check = Callable[[], tuple[Verdict, str]]
SECONDS_PER_MONTH = 30 * 24 * 3600
PEAK_TO_AVERAGE = 100
"""A generous peak: a hundred times the month's average rate."""


def dependencies(name: str) -> set[str]:
    """Every distribution `name` needs installed, transitively, without extras, for this
    machine's Python and platform (its own name excluded)."""
    environment = {key: str(value) for key, value in default_environment().items()}
    environment["extra"] = ""
    found: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        try:
            requires = metadata.requires(current) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            try:
                requirement = Requirement(line)
            except InvalidRequirement:
                continue
            if requirement.marker is not None and not requirement.marker.evaluate(environment):
                continue
            key = re.sub(r"[-_.]+", "-", requirement.name).lower()
            if key not in found:
                found.add(key)
                todo.append(key)
    found.discard(re.sub(r"[-_.]+", "-", name).lower())
    return found


def fewer_dependencies() -> tuple[Verdict, str]:
    try:
        versions = {n: metadata.version(n) for n in ("fastapi", "django")}
    except metadata.PackageNotFoundError as exc:
        return "cannot tell", f"{exc.name} is not installed"
    deps = {n: dependencies(n) for n in versions}
    text = "; ".join(
        f"{n} {versions[n]} needs {len(d)} ({', '.join(sorted(d))})" for n, d in deps.items()
    )
    verdict: Verdict = "holds" if len(deps["fastapi"]) < len(deps["django"]) else "does not hold"
    return verdict, f"installed distributions, transitively, without extras: {text}"


def hosting() -> tuple[Verdict, str]:
    """The hosting figures' traffic against the article's own throughput per core."""
    figure = ARTICLE.figure("hosting_usd_per_month")
    requests = float(figure.extra["requests_per_month"])
    average = requests / SECONDS_PER_MONTH
    peak = average * PEAK_TO_AVERAGE
    rps = ARTICLE.figure("rps").values
    per_core = {f: v / ARTICLE.setup.cores for f, v in rps.items()}
    needed = {f: max(1, -(-peak // per_core[f])) for f in per_core}
    workers = figure.extra["workers"]
    text = (
        f"{requests:,.0f} requests a month are {average:.2f} req/s on average; even at "
        f"{PEAK_TO_AVERAGE}x that ({peak:.0f} req/s) the article's own throughput per core ("
        + ", ".join(f"{f} {v:,.0f}" for f, v in per_core.items())
        + f" req/s) needs {', '.join(f'{f} {n:.0f}' for f, n in needed.items())} worker(s), "
        f"not the article's {', '.join(f'{f} {w}' for f, w in workers.items())}: at this "
        "traffic the cost differences cannot come from async efficiency"
    )
    explained = all(needed[f] >= workers[f] for f in workers)
    return ("holds" if explained else "does not hold"), text


def low_traffic() -> tuple[Verdict, str]:
    """Django's own figure in the article against the traffic of its hosting example."""
    average = float(ARTICLE.figure("hosting_usd_per_month").extra["requests_per_month"])
    average /= SECONDS_PER_MONTH
    django = ARTICLE.figure("rps").values["django"]
    text = (
        f"by the article's own figures: Django's {django:,.0f} req/s is "
        f"{django / average:,.0f}x the {average:.2f} req/s average of 1M requests a month, "
        f"{django / (average * PEAK_TO_AVERAGE):,.0f}x a peak of {PEAK_TO_AVERAGE}x it; "
        "re-measured by the run's rps-order claim"
    )
    return ("holds" if django > average * PEAK_TO_AVERAGE else "does not hold"), text


def less_code() -> tuple[Verdict, str]:
    lines = ARTICLE.figure("lines_of_code").values
    text = (
        f"by the article's own § Code Comparison: FastAPI ~{lines['fastapi']:.0f} lines, "
        f"Django ~{lines['django']:.0f}, Flask ~{lines['flask']:.0f}; see also code-order"
    )
    fewest = min(lines.values())
    return ("holds" if lines["fastapi"] == fewest else "does not hold"), text


def fastapi_docs() -> tuple[Verdict, str]:
    from fastapi import FastAPI

    app = FastAPI()
    urls = (app.openapi_url, app.docs_url, app.redoc_url)
    text = (
        f"a bare FastAPI() app of fastapi {metadata.version('fastapi')} serves the schema at "
        f"{urls[0]}, interactive docs at {urls[1]} and {urls[2]} by default"
    )
    return ("holds" if all(urls) else "does not hold"), text


TEST_CLIENTS = {
    "django": ("django.test", "Client"),
    "fastapi": ("fastapi.testclient", "TestClient"),
    "flask": ("flask.testing", "FlaskClient"),
}


def test_clients() -> tuple[Verdict, str]:
    found = {}
    for name, (module, _) in TEST_CLIENTS.items():
        try:
            found[name] = importlib.util.find_spec(module) is not None
        except ImportError:
            found[name] = False
    text = ", ".join(
        f"{name}: {'.'.join(TEST_CLIENTS[name])} {'present' if ok else 'missing'}"
        for name, ok in found.items()
    )
    return ("holds" if all(found.values()) else "does not hold"), (
        f"each framework ships its test client ({text}); the stars are the article's opinion"
    )


CHECKS: dict[str, Check] = {
    "dependencies": fewer_dependencies,
    "hosting": hosting,
    "low-traffic": low_traffic,
    "less-code": less_code,
    "fastapi-docs": fastapi_docs,
    "test-clients": test_clients,
}
