"""The environment a run happened in, stored with it so figures can be compared fairly."""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

import psutil

from framematrix.contestants.registry import CONTESTANTS
from framematrix.servers import SERVERS

TOOLS = ("uvloop", "httptools")
"""Beside every contestant's and server's own distributions: what the servers run on."""


def packages() -> tuple[str, ...]:
    """Every distribution a figure depends on: each contestant's (its registry record), each
    server's, and the tools under them; a new contestant's are recorded without an edit here."""
    names = [p for spec in CONTESTANTS.values() for p in spec.packages]
    names += [server.package for server in SERVERS.values()]
    return tuple(dict.fromkeys([*names, *TOOLS]))


def cpu_model() -> str:
    with_name = Path("/proc/cpuinfo")
    if with_name.exists():
        for line in with_name.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def versions() -> dict[str, str]:
    return installed(packages())


def installed(names: Iterable[str]) -> dict[str, str]:
    """The versions of those distributions installed here (missing ones left out)."""
    found = {}
    for package in names:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return found


def capture(
    *, server_cpus: tuple[int, ...] | None, load_cpus: tuple[int, ...] | None, database: str
) -> dict[str, object]:
    memory = psutil.virtual_memory()
    return {
        "cpu_model": cpu_model(),
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)),
        "memory_gb": round(memory.total / 1024**3, 1),
        "server_cpus": list(server_cpus) if server_cpus else None,
        "load_cpus": list(load_cpus) if load_cpus else None,
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "python_implementation": platform.python_implementation(),
        "database": database,
        "packages": versions(),
        "load_average": list(os.getloadavg()),
    }
