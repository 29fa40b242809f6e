"""The slots of the embedded PostgreSQL: one kept cluster each, taken by a lock.

A command holds its slot's `flock` while it lives, so two commands at once each get a cluster of
their own, and the lock is free again the instant its holder dies, even by SIGKILL.
"""

from __future__ import annotations

import fcntl
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from framematrix.errors import FramematrixError

SLOTS = 8
"""Commands that may each run a cluster at once (parallel tests, a UI job beside a bench)."""


@dataclass(frozen=True)
class Slot:
    """One cluster's folder: its data directory, log files and lock."""

    path: Path

    @property
    def data(self) -> Path:
        return self.path / "data"

    @property
    def log(self) -> Path:
        return self.path / "server.log"

    @property
    def initdb_log(self) -> Path:
        return self.path / "initdb.log"

    @property
    def lock(self) -> Path:
        return self.path.with_suffix(".lock")


def take_slot(root: Path) -> tuple[Slot, IO[Any]]:
    """The first free slot under `root`, and its lock, held until the handle is closed."""
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FramematrixError(
            f"cannot make the embedded PostgreSQL's folder {root}: {exc.strerror}"
        ) from None
    for index in range(SLOTS):
        slot = Slot(root / str(index))
        try:
            handle = slot.lock.open("a")
        except OSError as exc:
            raise FramematrixError(
                f"cannot use the embedded PostgreSQL's folder {root}: {exc.strerror}"
            ) from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        slot.path.mkdir(exist_ok=True)
        return slot, handle
    raise FramematrixError(
        f"all {SLOTS} embedded PostgreSQL clusters under {root} are "
        "in use by other framematrix commands"
    )
