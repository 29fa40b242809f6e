"""Scoring in the manner of the Mozilla HTTP Observatory.

Every audit starts at 100. Each probe's outcome carries one modifier from `RULES`; penalties
(negative) always count, bonuses (positive) only when the score after penalties is 90 or more.
The score never goes below 0, and the grade follows the Observatory's boundaries. Where a rule
mirrors an Observatory rule its modifier is the Observatory's; the rest are framematrix's own,
sized against those (source column). The table is repeated in AUDIT.md (a test keeps both equal).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from framematrix.audit.model import CANNOT_TELL, NOT_APPLICABLE, ProbeResult

START = 100
BONUS_THRESHOLD = 90


@dataclass(frozen=True)
class Rule:
    probe: str
    outcome: str
    modifier: int
    meaning: str
    source: str
    """'Observatory' when the modifier is the Observatory's, else 'framematrix'."""


OBS, FM = "Observatory", "framematrix"
RULES: tuple[Rule, ...] = (
    Rule("x-frame-options", "xfo-via-csp", 5, "CSP frame-ancestors restricts framing", OBS),
    Rule("x-frame-options", "xfo-ok", 0, "X-Frame-Options DENY or SAMEORIGIN", OBS),
    Rule("x-frame-options", "xfo-missing", -20, "the page may be framed (clickjacking)", OBS),
    Rule("x-content-type-options", "nosniff-ok", 0, "X-Content-Type-Options: nosniff", OBS),
    Rule("x-content-type-options", "nosniff-missing", -5, "no nosniff", OBS),
    Rule("referrer-policy", "referrer-private", 5, "a policy that keeps URLs private", OBS),
    Rule("referrer-policy", "referrer-missing", 0, "no Referrer-Policy", OBS),
    Rule("referrer-policy", "referrer-unsafe", -5, "unsafe-url or no-referrer-when-downgrade", OBS),
    Rule("content-security-policy", "csp-strict", 5, "default-src 'none' or 'self', no unsafe", FM),
    Rule("content-security-policy", "csp-ok", 0, "scripts restricted, no unsafe-inline/eval", OBS),
    Rule(
        "content-security-policy", "csp-unsafe", -20, "scripts allow * or unsafe-inline/eval", OBS
    ),
    Rule("content-security-policy", "csp-missing", -25, "no Content-Security-Policy", OBS),
    Rule("strict-transport-security", "hsts-preload-ready", 5, "1 year, subdomains, preload", FM),
    Rule("strict-transport-security", "hsts-ok", 0, "max-age of six months or more", OBS),
    Rule("strict-transport-security", "hsts-short", -10, "max-age under six months", OBS),
    Rule("strict-transport-security", "hsts-missing", -20, "no HSTS on an HTTPS response", OBS),
    Rule("cross-origin-opener-policy", "coop-ok", 0, "same-origin(-allow-popups)", FM),
    Rule("cross-origin-opener-policy", "coop-missing", -5, "no Cross-Origin-Opener-Policy", FM),
    Rule("server-version-leak", "no-leak", 0, "no version in Server or X-Powered-By", FM),
    Rule("server-version-leak", "version-leak", -5, "a version in Server or X-Powered-By", FM),
    Rule("cookie-httponly", "cookie-httponly-ok", 0, "session cookies are HttpOnly", OBS),
    Rule("cookie-httponly", "cookie-no-httponly", -30, "a session cookie without HttpOnly", OBS),
    Rule("cookie-secure", "cookie-secure-ok", 0, "session and CSRF cookies are Secure", OBS),
    Rule("cookie-secure", "cookie-session-no-secure", -40, "a session cookie without Secure", OBS),
    Rule("cookie-secure", "cookie-no-secure", -20, "a CSRF cookie without Secure", OBS),
    Rule("cookie-samesite", "cookie-all-flags", 5, "SameSite, Secure and HttpOnly all set", OBS),
    Rule("cookie-samesite", "cookie-samesite-ok", 0, "SameSite Lax or Strict", OBS),
    Rule("cookie-samesite", "cookie-no-samesite", -5, "SameSite missing or None", FM),
    Rule("csrf", "csrf-ok", 0, "a form POST without the token is refused", FM),
    Rule("csrf", "csrf-missing", -25, "a form POST without a token changes data", FM),
    Rule("xss", "xss-escaped", 0, "stored <script> comes back escaped", FM),
    Rule("xss", "xss-reflected", -40, "stored <script> is served as markup", FM),
    Rule("host-header", "host-rejected", 0, "a foreign Host gets 400", FM),
    Rule("host-header", "host-accepted", -10, "a foreign Host is served", FM),
    Rule("https-redirect", "redirect-ok", 0, "plain HTTP redirects to HTTPS, same host", OBS),
    Rule("https-redirect", "redirect-missing", -20, "plain HTTP is served or sent off-host", OBS),
    Rule("cors", "cors-ok", 0, "no credentials for a foreign origin", OBS),
    Rule("cors", "cors-credentials-any-origin", -50, "* or any origin, with credentials", OBS),
    Rule("methods", "methods-ok", 0, "405 with Allow; TRACE refused", FM),
    Rule("methods", "methods-no-405", -5, "no 405, no Allow, or TRACE answered", FM),
    Rule("error-disclosure", "no-disclosure", 0, "errors show no internals", FM),
    Rule("error-disclosure", "disclosure", -20, "a traceback, debug page or version", FM),
    Rule("sql-injection", "sqli-inert", 0, "payloads stored verbatim or refused", FM),
    Rule("sql-injection", "sqli-altered", -10, "payloads refused or changed (no 5xx)", FM),
    Rule("sql-injection", "sqli-error", -50, "a 5xx, a login bypass or widened results", FM),
    Rule("password-storage", "password-ok", 0, "a slow hash at the OWASP minimum cost", FM),
    Rule("password-storage", "password-weak-cost", -10, "a slow hash below OWASP's cost", FM),
    Rule("password-storage", "password-fast-hash", -40, "md5/sha1/sha2: one fast round", FM),
    Rule("password-storage", "password-plaintext", -50, "the password as it was typed", FM),
    Rule("rate-limit", "rate-limited", 0, "a burst from one client meets 429 (not scored)", FM),
    Rule("rate-limit", "no-limit", 0, "a burst from one client is served (not scored)", FM),
    Rule("(any)", NOT_APPLICABLE, 0, "the target lacks the part the probe needs", FM),
    Rule("(any)", CANNOT_TELL, 0, "the probe could not reach a verdict (see detail)", FM),
)
MODIFIERS: dict[str, int] = {rule.outcome: rule.modifier for rule in RULES}

# packed by hand: a row per letter, as the Observatory's table has it
GRADES: tuple[tuple[int, str], ...] = (
    (100, "A+"), (90, "A"), (85, "A-"),
    (80, "B+"), (70, "B"), (65, "B-"),
    (60, "C+"), (50, "C"), (45, "C-"),
    (40, "D+"), (30, "D"), (25, "D-"),
    (0, "F"),
)  # fmt: skip
"""(lowest score, grade), the Observatory's boundaries."""


@dataclass(frozen=True)
class Score:
    """An audit's score and grade, and what each probe contributed to them."""

    score: int
    grade: str
    before_bonus: int
    modifiers: dict[str, int]
    """probe name -> what it contributed (a bonus not awarded contributes 0)."""


def grade(score: int) -> str:
    return next(letter for lowest, letter in GRADES if score >= lowest)


def score(results: Iterable[ProbeResult]) -> Score:
    """Penalties first; bonuses only if the score after them is at least 90."""
    results = list(results)
    unknown = [r.outcome for r in results if r.outcome not in MODIFIERS]
    if unknown:
        raise ValueError(f"outcomes missing from the scoring table: {', '.join(unknown)}")
    penalties = sum(min(MODIFIERS[r.outcome], 0) for r in results)
    before_bonus = START + penalties
    bonuses_count = before_bonus >= BONUS_THRESHOLD
    contributed = {
        r.name: MODIFIERS[r.outcome] if MODIFIERS[r.outcome] < 0 or bonuses_count else 0
        for r in results
    }
    total = max(0, START + sum(contributed.values()))
    return Score(total, grade(total), max(0, before_bonus), contributed)


def markdown_table() -> str:
    """The rules as the Markdown table AUDIT.md carries."""
    lines = ["| probe | outcome | modifier | meaning | source |", "|---|---|---:|---|---|"]
    lines += [
        f"| {r.probe} | `{r.outcome}` | {r.modifier:+d} | {r.meaning} | {r.source} |" for r in RULES
    ]
    return "\n".join(lines)
