"""In a fresh interpreter: the contract's read checks through one contestant's framework test
client, printed as JSON (`python -m framematrix.measure.testclient CONTESTANT`)."""

from __future__ import annotations

import json
import sys
import time

from framematrix.contract.checks import CHECKS
from framematrix.contract.client import Client, Response
from framematrix.contract.context import Context
from framematrix.contract.suite import run_check
from framematrix.measure.testclient.setups import ADAPTERS, SETUPS, Send

READ_CHECKS = ("health", "list_authors", "bad_paging", "bad_ids", "list_posts", "filter_posts")
"""The contract's checks of reading (each makes the rows it reads through the API)."""


class InProcess(Client):
    """The contract's client, its requests handed to a framework's test client, not a socket."""

    def __init__(self, send: Send) -> None:
        super().__init__("http://testserver")
        self.send = send

    def _send(
        self, method: str, path: str, headers: dict[str, str], data: bytes | None
    ) -> Response:
        status, answered, body = self.send(method, path, headers, data)
        return Response(method, path, status, answered, body)


def main(contestant: str) -> dict[str, object]:
    _, setup, _ = SETUPS[contestant]
    began = time.perf_counter()
    client = setup()
    setup_s = time.perf_counter() - began
    ctx = Context(InProcess(ADAPTERS[contestant](client)))
    checks = []
    for name, check in CHECKS:
        if check.__name__ not in READ_CHECKS:
            continue
        sent, began = len(ctx.client.log), time.perf_counter()
        result = run_check(ctx, name, check)
        checks.append(
            {
                "name": name,
                "passed": result.passed,
                "detail": result.detail[:300],
                "seconds": round(time.perf_counter() - began, 4),
                "requests": len(ctx.client.log) - sent,
            }
        )
    ctx.cleanup()
    return {"setup_s": round(setup_s, 4), "checks": checks}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
