"""Schemathesis hooks for the contract (named by `schemathesis.toml`): requests it may send.

RULES.md 24: a request line over 4,094 bytes is refused by gunicorn, the production server of
several contestants, before any contestant code runs, so it is outside the contract.
"""

from __future__ import annotations

from urllib.parse import urlencode

import schemathesis

MAX_QUERY_BYTES = 3000
"""gunicorn's request-line limit is 4,094 bytes; leave room for the method and the path."""


@schemathesis.hook
def filter_case(context: schemathesis.HookContext, case: schemathesis.Case) -> bool:
    return len(urlencode(case.query or {}, doseq=True)) <= MAX_QUERY_BYTES
