"""The contract: one blog API (openapi.yaml + RULES.md) and the suite that checks it over HTTP."""

from pathlib import Path

OPENAPI = Path(__file__).with_name("openapi.yaml")
RULES = Path(__file__).with_name("RULES.md")
PARTS = {"/authors/{id}/profile": "upstream", "/images/{name}": "image", "/work": "work"}
"""The paths of openapi.yaml beyond the blog, by the contract part they belong to: the names
`ContestantSpec.lacks`, `Scenario.part` and the suite's workload checks use."""

__all__ = ["OPENAPI", "PARTS", "RULES"]
