"""Property-based fuzzing from openapi.yaml: no 5xx and no answer outside the schema.

Request lines longer than a production server accepts are outside the contract: gunicorn answers
them itself (414, HTML) before any contestant sees them, so the fuzzer keeps its URLs short.
Every server gets a working upstream (the 502/504 of a failing one are the suite's to check),
and the paths of a part a contestant lacks are not fuzzed against it.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from framematrix.contestants.registry import CONTESTANTS
from framematrix.contract import OPENAPI, PARTS

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 10
MAX_QUERY_BYTES = 3000
"""gunicorn's default request-line limit is 4094 bytes; leave room for the method and path."""
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)


def _short(case) -> bool:  # type: ignore[no-untyped-def]
    return len(urlencode(case.query or {}, doseq=True)) <= MAX_QUERY_BYTES


def _fuzz(operation, mode, base_url: str) -> None:  # type: ignore[no-untyped-def]
    @given(case=operation.as_strategy(generation_mode=mode).filter(_short))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case) -> None:  # type: ignore[no-untyped-def]
        case.call_and_validate(base_url=base_url, checks=CHECKS)

    fuzz()


@pytest.mark.slow
@pytest.mark.parametrize("contestant", list(CONTESTANTS))
def test_schemathesis_finds_nothing(contestant, db, serve, upstream) -> None:  # type: ignore[no-untyped-def]
    running = serve(contestant, None, db, workers=1, env=upstream.env())
    lacking = {part for part, _ in CONTESTANTS[contestant].lacks}
    schema = schemathesis.openapi.from_path(OPENAPI)
    for result in schema.get_all_operations():
        operation = result.ok()
        if PARTS.get(operation.path) in lacking:
            continue
        takes_input = operation.path_parameters or operation.query or operation.body
        for mode in MODES if takes_input else MODES[:1]:
            _fuzz(operation, mode, running.config.url)
