"""Every probe, in the order reports show them; each is `probe(context) -> ProbeResult`.

A probe family is one module with a `PROBES` tuple; adding a probe is one function there plus
its outcomes in the scoring table.
"""

from __future__ import annotations

from framematrix.audit.context import Context, Probe
from framematrix.audit.model import ProbeResult, Target
from framematrix.audit.probes import (
    cookies,
    csrf,
    disclosure,
    headers,
    injection,
    limits,
    passwords,
    transport,
    xss,
)
from framematrix.errors import FramematrixError

PROBES: tuple[Probe, ...] = (
    *headers.PROBES,
    *cookies.PROBES,
    *csrf.PROBES,
    *xss.PROBES,
    *transport.PROBES,
    *disclosure.PROBES,
    *injection.PROBES,
    *passwords.PROBES,
    *limits.PROBES,
)
PROBE_NAMES: tuple[str, ...] = (
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
    "content-security-policy",
    "strict-transport-security",
    "cross-origin-opener-policy",
    "server-version-leak",
    "cookie-httponly",
    "cookie-secure",
    "cookie-samesite",
    "csrf",
    "xss",
    "host-header",
    "https-redirect",
    "cors",
    "methods",
    "error-disclosure",
    "sql-injection",
    "password-storage",
    "rate-limit",
)


def run_probes(target: Target) -> list[ProbeResult]:
    """Run every probe against one target.

    A probe whose request fails, or whose answer is not the shape the contract promises (not
    JSON, a missing key), reports `cannot tell` rather than stopping the audit.
    """
    ctx = Context(target)
    results = []
    for probe, name in zip(PROBES, PROBE_NAMES, strict=True):
        try:
            result = probe(ctx)
        except FramematrixError as exc:
            result = ProbeResult.cannot_tell(name, str(exc))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            result = ProbeResult.cannot_tell(
                name, f"unexpected answer ({type(exc).__name__}: {exc})"
            )
        if result.name != name:  # pragma: no cover - guards the two lists above
            raise AssertionError(f"probe {probe.__name__} reported {result.name!r}, not {name!r}")
        results.append(result)
    return results
