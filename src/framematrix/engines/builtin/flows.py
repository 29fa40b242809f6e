"""Scenario steps compiled to request bytes, and the flow each virtual user walks through.

Constant requests are built once; templated ones with one `str.format` each. A flow's random
choices come from its own generator, seeded by the run's seed and the user's number, so the same
seed sends the same requests again.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar

from framematrix.engines.base import LoadPlan
from framematrix.scenarios import Step

FLOW_ID = re.compile(rb'"id"\s*:\s*(\d+)')


class FlowStep(Protocol):
    """What a walk needs of a step, however an engine sends it."""

    @property
    def expect(self) -> int: ...
    @property
    def carries_id(self) -> bool:
        """The first step of a flow: its response body carries the id the next steps use."""
        ...


S = TypeVar("S", bound=FlowStep)


class Walk(Generic[S]):
    """One virtual user's place in its scenario: the step it is at, the id its flow created, its
    iteration; and the rule every engine's users follow to go on (builtin's here, locust's in
    its locustfile)."""

    __slots__ = ("flow_id", "n", "step", "steps")

    def __init__(self, steps: Sequence[S]) -> None:
        self.steps = steps
        self.step = 0
        self.n = 1
        self.flow_id = 0

    def advance(self, status: int, body: bytes) -> None:
        """Next step on the expected status; any other status starts a new iteration."""
        step = self.steps[self.step]
        if status == step.expect:
            if step.carries_id:
                found = FLOW_ID.search(body)
                if found is not None:
                    self.flow_id = int(found.group(1))
                    self.step += 1
                    return
            elif self.step + 1 < len(self.steps):
                self.step += 1
                return
        self.restart()

    def restart(self) -> None:
        self.step = 0
        self.n += 1


class CompiledStep:
    __slots__ = (
        "body",
        "carries_id",
        "constant",
        "expect",
        "head",
        "head_only",
        "path",
        "wants_author",
    )

    def __init__(self, step: Step, plan: LoadPlan, carries_id: bool = False) -> None:
        self.expect = step.expect
        self.carries_id = carries_id
        """The first step of a flow: its response body carries the id the next steps use."""
        self.head_only = step.method == "HEAD"
        """The response has a head and no body, whatever its Content-Length says."""
        close = "Connection: close\r\n" if plan.connection_per_request else ""
        self.head = f"Host: {plan.netloc}\r\n{close}"
        self.path = f"{step.method} {plan.prefix}{_format(step.path)} HTTP/1.1\r\n"
        self.body = None if step.body is None else _format(step.body)
        self.wants_author = "author" in step.fields()
        self.constant = self.render(0, 0, 0, 0, "") if not step.fields() else None

    def render(self, author: int, flow_id: int, user: int, n: int, run: str) -> bytes:
        line = self.path.format(author=author, id=flow_id, user=user, n=n, run=run)
        if self.body is None:
            return f"{line}{self.head}\r\n".encode()
        body = self.body.format(author=author, id=flow_id, user=user, n=n, run=run).encode()
        head = f"{line}{self.head}Content-Type: application/json\r\nContent-Length: {len(body)}"
        return head.encode() + b"\r\n\r\n" + body


class Flow(Walk[CompiledStep]):
    """One virtual user of the builtin engine: its walk, and the requests it sends."""

    __slots__ = ("authors", "rng", "run", "user")

    def __init__(self, steps: tuple[CompiledStep, ...], plan: LoadPlan, user: int, run: str):
        super().__init__(steps)
        self.user = user
        self.run = run
        self.authors = plan.seed_size.authors
        self.rng = random.Random(f"{plan.seed}/{user}")

    def request(self) -> bytes:
        step = self.steps[self.step]
        if step.constant is not None:
            return step.constant
        author = self.rng.randint(1, self.authors) if step.wants_author else 0
        return step.render(author, self.flow_id, self.user, self.n, self.run)


def compile_steps(plan: LoadPlan) -> tuple[CompiledStep, ...]:
    steps = plan.scenario.steps
    return tuple(
        CompiledStep(step, plan, carries_id=index == 0 and len(steps) > 1)
        for index, step in enumerate(steps)
    )


def _format(template: str) -> str:
    """A scenario template as a `str.format` string: JSON braces escaped, fields kept."""
    escaped = template.replace("{", "{{").replace("}", "}}")
    return re.sub(r"\{\{([a-z]+)\}\}", r"{\1}", escaped)
