"""How reports name a version set's environment: what it resolved to and what moved beside it."""

from __future__ import annotations

from framematrix.versions import describe


def test_a_set_says_what_moved_beside_it() -> None:
    record = {"label": "pydantic==2.10.*", "requirements": ["pydantic==2.10.*"],
              "python": "/envs/x/bin/python", "pins": ["pydantic==2.10.6", "pydantic-core==2.27.2"],
              "resolved": {"pydantic": "2.10.6", "pydantic-core": "2.27.2", "fastapi": "0.165.0"},
              "constrained": False, "error": None}  # fmt: skip
    default = {"pydantic": "2.14.4", "pydantic-core": "2.50.5", "fastapi": "0.165.0"}
    text = describe(record, default)
    assert text.startswith("pydantic 2.10.6; beside it pydantic-core 2.27.2 (default 2.50.5)")
    assert "fastapi" not in text and "resolved anew" in text and "2 distributions" in text


def test_a_set_that_did_not_install_says_why() -> None:
    record = {"label": "django==0.0.1", "requirements": ["django==0.0.1"], "error": "no django"}
    assert describe(record) == "not installed: no django"
