"""The contract: one blog API (openapi.yaml + RULES.md) and the suite that checks it over HTTP."""

from pathlib import Path

OPENAPI = Path(__file__).with_name("openapi.yaml")
RULES = Path(__file__).with_name("RULES.md")

__all__ = ["OPENAPI", "RULES"]
