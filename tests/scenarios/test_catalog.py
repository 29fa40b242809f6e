"""Scenarios as data: their workloads, and the contract parts they need."""

from __future__ import annotations

from framematrix import images, scenarios
from framematrix.contestants.registry import CONTESTANTS
from framematrix.contract import PARTS
from framematrix.contract.suite import WORKLOAD_CHECKS  # with the /work checks it registers


def test_every_scenario_names_its_workload() -> None:
    workloads = {name: scenario.workload for name, scenario in scenarios.SCENARIOS.items()}
    assert workloads == {
        "health": "compute",
        "read-one": "database",
        "list-posts": "database",
        "crud": "database",
        "write": "database",
        "upstream": "services",
        "image": "compute",
        "iot": "realtime",
    }


def test_only_the_upstream_scenario_needs_the_upstream() -> None:
    needing = {name for name, scenario in scenarios.SCENARIOS.items() if scenario.needs_upstream}
    assert needing == {"upstream"}
    assert scenarios.get("upstream").steps[0].path == "/authors/{author}/profile"


def test_the_image_scenario_asks_for_a_width_the_contract_accepts() -> None:
    (step,) = scenarios.get("image").steps
    assert step.path == f"/images/sample.jpg?width={scenarios.IMAGE_WIDTH}"
    assert images.MIN_WIDTH <= scenarios.IMAGE_WIDTH <= images.MAX_WIDTH
    assert step.expect == 200 and not scenarios.get("image").writes


def test_parts_are_named_alike_everywhere() -> None:
    """Scenarios, the registry's `lacks`, the suite's checks and openapi.yaml's paths."""
    known = set(PARTS.values())
    assert {check.part for check in WORKLOAD_CHECKS} == known
    used = {s.part for s in scenarios.SCENARIOS.values() if s.part is not None}
    used.add(scenarios.get("work-q1").part)  # a described workload's (--workload)
    assert used == known | {"realtime"}  # iot, over WebSockets: RULES.md's "Real time" part
    lacked = {part for spec in CONTESTANTS.values() for part, _ in spec.lacks}
    assert lacked <= known | {"realtime"}  # the realtime part has its own suite (tests/realtime)
