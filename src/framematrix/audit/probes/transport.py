"""How the server treats requests a browser would not send: a forged Host, plain HTTP, a foreign
Origin, a method the path does not take."""

from __future__ import annotations

from urllib.parse import urlsplit

from framematrix.audit.context import Context
from framematrix.audit.model import ProbeResult

EVIL_HOST = "evil.example"
EVIL_ORIGIN = f"https://{EVIL_HOST}"


def host_header(ctx: Context) -> ProbeResult:
    name = "host-header"
    response = ctx.client().request("GET", ctx.page_path, headers={"Host": EVIL_HOST})
    if response.status == 400:
        return ProbeResult(name, True, f"Host: {EVIL_HOST} -> 400", "host-rejected")
    where = f" to {response.header('location')}" if response.is_redirect else ""
    return ProbeResult(
        name, False, f"Host: {EVIL_HOST} -> {response.status}{where}", "host-accepted"
    )


def https_redirect(ctx: Context) -> ProbeResult:
    name = "https-redirect"
    if ctx.target.profile != "hardened":
        return ProbeResult.not_applicable(name, "only the hardened profile promises a redirect")
    client = ctx.client(forwarded_https=False)
    response = client.request("GET", ctx.page_path)
    location = response.header("location") or ""
    parts = urlsplit(location)
    requested = urlsplit(ctx.target.base_url).hostname
    if response.is_redirect and parts.scheme == "https" and parts.hostname == requested:
        return ProbeResult(name, True, f"plain HTTP -> {response.status} {location}", "redirect-ok")
    found = f"{response.status} {location}".strip()
    return ProbeResult(name, False, f"plain HTTP {ctx.page_path} -> {found}", "redirect-missing")


def cors(ctx: Context) -> ProbeResult:
    name = "cors"
    client = ctx.client()
    asked = {
        f"GET {ctx.page_path}": client.request(
            "GET", ctx.page_path, headers={"Origin": EVIL_ORIGIN}
        ),
        "OPTIONS /posts": client.request(
            "OPTIONS",
            "/posts",
            headers={"Origin": EVIL_ORIGIN, "Access-Control-Request-Method": "POST"},
        ),
    }
    unsafe = []
    for request, response in asked.items():
        origin = response.header("access-control-allow-origin")
        credentials = (response.header("access-control-allow-credentials") or "").lower() == "true"
        if credentials and origin in ("*", EVIL_ORIGIN):
            unsafe.append(f"{request}: Allow-Origin {origin} with credentials")
    if unsafe:
        return ProbeResult(name, False, "; ".join(unsafe), "cors-credentials-any-origin")
    origins = {r.header("access-control-allow-origin") for r in asked.values()} - {None}
    found = f"Allow-Origin {', '.join(sorted(o for o in origins if o))}" if origins else "no CORS"
    return ProbeResult(name, True, f"{found} for {EVIL_ORIGIN}, no credentials", "cors-ok")


def methods(ctx: Context) -> ProbeResult:
    name = "methods"
    client = ctx.client()
    wrong = [("DELETE", "/health")] + ([("PUT", "/login")] if ctx.web else [])
    problems = []
    for method, path in wrong:
        response = client.request(method, path)
        if response.status != 405 or not response.header("allow"):
            problems.append(
                f"{method} {path} -> {response.status}, Allow: {response.header('allow')}"
            )
    trace = client.request("TRACE", "/health")
    if 200 <= trace.status < 300:
        problems.append(f"TRACE /health -> {trace.status}")
    if problems:
        return ProbeResult(name, False, "; ".join(problems), "methods-no-405")
    tried = ", ".join(f"{m} {p}" for m, p in wrong)
    return ProbeResult(
        name, True, f"405 with Allow for {tried}; TRACE -> {trace.status}", "methods-ok"
    )


PROBES = (host_header, https_redirect, cors, methods)
