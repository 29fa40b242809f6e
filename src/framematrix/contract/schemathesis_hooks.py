"""Schemathesis hooks for the contract (named by `schemathesis.toml`): requests it may send.

RULES.md 24: a request line over 4,094 bytes is refused by gunicorn, the production server of
several contestants, before any contestant code runs, so it is outside the contract.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import schemathesis

MAX_QUERY_BYTES = 3000
"""gunicorn's request-line limit is 4,094 bytes; leave room for the method and the path."""


@schemathesis.hook
def filter_case(context: schemathesis.HookContext, case: schemathesis.Case[Any]) -> bool:
    """Only cases whose query leaves gunicorn's request line room (any operation's case: only
    its query is read)."""
    return len(urlencode(case.query or {}, doseq=True)) <= MAX_QUERY_BYTES
