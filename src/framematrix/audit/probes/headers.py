"""Response headers of the audited page, judged the way the Mozilla HTTP Observatory judges them.

The page is fetched as if forwarded by a TLS proxy (`X-Forwarded-Proto: https`), because HSTS
is only meaningful, and only sent by well-behaved apps, on HTTPS responses.
"""

from __future__ import annotations

import re

from framematrix.audit.context import Context
from framematrix.audit.model import ProbeResult

SIX_MONTHS_S = 15_768_000
ONE_YEAR_S = 31_536_000
PRIVATE_REFERRERS = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
SAFE_COOP = {"same-origin", "same-origin-allow-popups"}
VERSION = re.compile(r"\d+\.\d+|/\d")


def csp_directives(value: str | None) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in (value or "").split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), [w.lower() for w in words[1:]])
    return directives


def frame_options(ctx: Context) -> ProbeResult:
    name = "x-frame-options"
    xfo = (ctx.page.header("x-frame-options") or "").strip().upper()
    ancestors = csp_directives(ctx.page.header("content-security-policy")).get("frame-ancestors")
    if ancestors is not None and "*" not in ancestors:
        return ProbeResult(name, True, f"CSP frame-ancestors {' '.join(ancestors)}", "xfo-via-csp")
    if xfo in ("DENY", "SAMEORIGIN"):
        return ProbeResult(name, True, f"X-Frame-Options: {xfo}", "xfo-ok")
    found = f"X-Frame-Options: {xfo}" if xfo else "neither X-Frame-Options nor frame-ancestors"
    return ProbeResult(name, False, f"{found} on {ctx.page_path}", "xfo-missing")


def content_type_options(ctx: Context) -> ProbeResult:
    name = "x-content-type-options"
    value = (ctx.page.header("x-content-type-options") or "").strip()
    if value.lower() == "nosniff":
        return ProbeResult(name, True, "nosniff", "nosniff-ok")
    return ProbeResult(
        name, False, f"X-Content-Type-Options: {value or 'missing'}", "nosniff-missing"
    )


def referrer_policy(ctx: Context) -> ProbeResult:
    name = "referrer-policy"
    value = ctx.page.header("referrer-policy")
    if value is None:
        return ProbeResult(name, False, "no Referrer-Policy", "referrer-missing")
    # The last recognised token wins, as in browsers.
    policy = [t.strip().lower() for t in value.split(",") if t.strip()][-1:]
    if policy and policy[0] in PRIVATE_REFERRERS:
        return ProbeResult(name, True, f"Referrer-Policy: {value}", "referrer-private")
    return ProbeResult(name, False, f"Referrer-Policy: {value} leaks URLs", "referrer-unsafe")


def content_security_policy(ctx: Context) -> ProbeResult:
    name = "content-security-policy"
    value = ctx.page.header("content-security-policy")
    if not value:
        return ProbeResult(name, False, "no Content-Security-Policy header", "csp-missing")
    directives = csp_directives(value)
    scripts = directives.get("script-src", directives.get("default-src"))
    if (
        scripts is None
        or "*" in scripts
        or "'unsafe-inline'" in scripts
        or "'unsafe-eval'" in scripts
    ):
        return ProbeResult(name, False, f"scripts not restricted: {value}", "csp-unsafe")
    default = directives.get("default-src", [])
    if default in (["'none'"], ["'self'"]):
        return ProbeResult(name, True, value, "csp-strict")
    return ProbeResult(name, True, value, "csp-ok")


def strict_transport_security(ctx: Context) -> ProbeResult:
    name = "strict-transport-security"
    value = ctx.page.header("strict-transport-security")
    if not value:
        return ProbeResult(name, False, "no HSTS on a request forwarded as HTTPS", "hsts-missing")
    fields = {k.strip().lower(): v for k, _, v in (p.partition("=") for p in value.split(";"))}
    try:
        max_age = int(fields.get("max-age", "").strip().strip('"'))
    except ValueError:
        return ProbeResult(name, False, f"HSTS without a valid max-age: {value}", "hsts-missing")
    if max_age < SIX_MONTHS_S:
        return ProbeResult(name, False, f"HSTS max-age {max_age} s < six months", "hsts-short")
    preload = "preload" in fields and "includesubdomains" in fields and max_age >= ONE_YEAR_S
    outcome = "hsts-preload-ready" if preload else "hsts-ok"
    return ProbeResult(name, True, value, outcome, {"max_age": max_age})


def opener_policy(ctx: Context) -> ProbeResult:
    name = "cross-origin-opener-policy"
    value = (ctx.page.header("cross-origin-opener-policy") or "").strip()
    if value.lower() in SAFE_COOP:
        return ProbeResult(name, True, f"Cross-Origin-Opener-Policy: {value}", "coop-ok")
    return ProbeResult(
        name, False, f"Cross-Origin-Opener-Policy: {value or 'missing'}", "coop-missing"
    )


def version_leak(ctx: Context) -> ProbeResult:
    name = "server-version-leak"
    leaks = [
        f"{header}: {value}"
        for header in ("server", "x-powered-by")
        for value in ctx.page.header_all(header)
        if VERSION.search(value)
    ]
    if leaks:
        return ProbeResult(name, False, "; ".join(leaks), "version-leak")
    server = ctx.page.header("server")
    return ProbeResult(name, True, f"Server: {server}" if server else "no Server header", "no-leak")


PROBES = (
    frame_options,
    content_type_options,
    referrer_policy,
    content_security_policy,
    strict_transport_security,
    opener_policy,
    version_leak,
)
