"""The flags on the session and CSRF cookies a login produces.

HttpOnly is required of session cookies only: a CSRF cookie is meant to be readable by the page's
own scripts (Django's documentation and the Observatory agree), so its HttpOnly is only reported.
"""

from __future__ import annotations

from framematrix.audit.context import Context, logged_in
from framematrix.audit.model import ProbeResult
from framematrix.contract.client import SetCookie

HTTPONLY, SECURE, SAMESITE = "cookie-httponly", "cookie-secure", "cookie-samesite"
SAFE_SAMESITE = {"Lax", "Strict"}


def _names(cookies: list[SetCookie]) -> str:
    return ", ".join(c.name for c in cookies)


@logged_in(HTTPONLY)
def httponly(ctx: Context) -> ProbeResult:
    login = ctx.login
    missing = [c for c in login.session_cookies if not c.httponly]
    csrf_note = "".join(
        f"; CSRF cookie {c.name} is {'' if c.httponly else 'not '}HttpOnly (not required)"
        for c in login.csrf_cookies
    )
    if missing:
        return ProbeResult(
            HTTPONLY,
            False,
            f"session cookie without HttpOnly: {_names(missing)}{csrf_note}",
            "cookie-no-httponly",
        )
    return ProbeResult(
        HTTPONLY,
        True,
        f"HttpOnly: {_names(login.session_cookies)}{csrf_note}",
        "cookie-httponly-ok",
    )


@logged_in(SECURE)
def secure(ctx: Context) -> ProbeResult:
    login = ctx.login
    session = [c for c in login.session_cookies if not c.secure]
    csrf = [c for c in login.csrf_cookies if not c.secure]
    if session:
        return ProbeResult(
            SECURE,
            False,
            f"session cookie without Secure: {_names(session + csrf)}",
            "cookie-session-no-secure",
        )
    if csrf:
        return ProbeResult(
            SECURE, False, f"CSRF cookie without Secure: {_names(csrf)}", "cookie-no-secure"
        )
    every = login.session_cookies + login.csrf_cookies
    return ProbeResult(SECURE, True, f"Secure: {_names(every)}", "cookie-secure-ok")


@logged_in(SAMESITE)
def samesite(ctx: Context) -> ProbeResult:
    login = ctx.login
    every = login.session_cookies + login.csrf_cookies
    weak = [c for c in every if c.samesite not in SAFE_SAMESITE]
    if weak:
        found = ", ".join(f"{c.name} (SameSite={c.samesite or 'unset'})" for c in weak)
        return ProbeResult(SAMESITE, False, f"not Lax or Strict: {found}", "cookie-no-samesite")
    found = ", ".join(f"{c.name}={c.samesite}" for c in every)
    all_flags = all(c.secure for c in every) and all(c.httponly for c in login.session_cookies)
    outcome = "cookie-all-flags" if all_flags else "cookie-samesite-ok"
    return ProbeResult(SAMESITE, True, f"SameSite {found}", outcome)


PROBES = (httponly, secure, samesite)
