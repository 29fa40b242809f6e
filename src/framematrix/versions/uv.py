"""uv, the installer that builds version-set environments in seconds, told where packages come
from the way pip is (its configuration's indexes and wheel folders), unless uv's own
settings say otherwise."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from functools import cache

from framematrix.errors import FramematrixError

TIMEOUT_S = 600.0


def binary() -> str:
    try:
        from uv import find_uv_bin
    except ImportError:
        raise FramematrixError("--versions needs uv: run ./bootstrap (or pip install uv)") from None
    return str(find_uv_bin())


@cache
def pip_sources() -> dict[str, str]:
    """UV_* variables for the indexes and wheel folders pip's configuration names (all indexes
    equally trusted, as pip treats them)."""
    try:
        listed = subprocess.run(
            [sys.executable, "-m", "pip", "config", "list"],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return {}
    found: dict[str, list[str]] = {}
    for line in listed.splitlines():
        key, _, value = line.partition("=")
        option = key.rpartition(".")[2]
        if option in ("index-url", "extra-index-url", "find-links"):
            found.setdefault(option, []).extend(shlex.split(value.strip().strip("'\"")))
    env = {}
    if found.get("index-url"):
        env["UV_DEFAULT_INDEX"] = found["index-url"][0]
    if found.get("extra-index-url"):
        env["UV_INDEX"] = " ".join(dict.fromkeys(found["extra-index-url"]))
        env["UV_INDEX_STRATEGY"] = "unsafe-best-match"
    if found.get("find-links"):
        env["UV_FIND_LINKS"] = ",".join(dict.fromkeys(found["find-links"]))
    return env


def run(*args: str) -> str:
    """One uv command; its output, or its last lines as one FramematrixError."""
    own = {k: v for k, v in pip_sources().items() if not _uv_configured(k)}
    try:
        done = subprocess.run(
            [binary(), *args],
            capture_output=True,
            text=True,
            env={**os.environ, **own},
            timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        raise FramematrixError(f"uv {args[0]} took more than {TIMEOUT_S:g} s") from None
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        raise FramematrixError(" ".join(lines[-4:]) or f"uv {args[0]} failed")
    return done.stdout


def _uv_configured(name: str) -> bool:
    """Whether the user set uv's sources themselves (then pip's are not added)."""
    related = {
        "UV_DEFAULT_INDEX": ("UV_DEFAULT_INDEX", "UV_INDEX_URL"),
        "UV_INDEX": ("UV_INDEX", "UV_EXTRA_INDEX_URL"),
        "UV_INDEX_STRATEGY": ("UV_INDEX_STRATEGY",),
        "UV_FIND_LINKS": ("UV_FIND_LINKS",),
    }
    return any(os.environ.get(n) for n in related[name])
