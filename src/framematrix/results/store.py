"""The results store: one folder per run, one JSON file per trial, written the moment it ends.

Each file is written to a temporary name and renamed, so a run killed at any instant leaves
only whole trials behind; `--resume` then skips exactly the trials whose files exist.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from framematrix.errors import FramematrixError
from framematrix.trials import TrialResult

DEFAULT_ROOT = Path("runs")
CODESIZE_FILE = "codesize.json"
LEDGER_FILE = "ledger.json"
"""The database work per request of the run's contestants (`measure.ledger.Ledger.record`)."""
AUDIT_FILE = "audit.json"


def write_json_atomic(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(data, handle, indent=2, default=str)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Run:
    path: Path

    @property
    def id(self) -> str:
        return self.path.name

    @property
    def trials_dir(self) -> Path:
        return self.path / "trials"

    @classmethod
    def create(cls, root: Path, meta: dict[str, Any]) -> Run:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        path = root / stamp
        suffix = 1
        while path.exists():
            suffix += 1
            path = root / f"{stamp}-{suffix}"
        run = cls(path)
        run.trials_dir.mkdir(parents=True)
        write_json_atomic(run.path / "run.json", {"run": run.id, **meta})
        return run

    @classmethod
    def open(cls, name: str | Path, root: Path = DEFAULT_ROOT) -> Run:
        """A run by folder path or by id under `root`."""
        for candidate in (Path(name), root / str(name)):
            if (candidate / "run.json").is_file():
                return cls(candidate)
        raise FramematrixError(f"no run {str(name)!r} (looked in . and {root}/)")

    @classmethod
    def find(cls, name: str | Path | None, root: Path = DEFAULT_ROOT) -> Run:
        """The run named (a folder, or an id under `root`), else the latest under `root`."""
        return cls.open(name, root) if name else cls.latest(root)

    @classmethod
    def all(cls, root: Path = DEFAULT_ROOT) -> list[Run]:
        """Every run under `root`, oldest first (their ids are their start times)."""
        if not root.is_dir():
            return []
        return [cls(p) for p in sorted(root.glob("*")) if (p / "run.json").is_file()]

    @classmethod
    def latest(cls, root: Path = DEFAULT_ROOT) -> Run:
        runs = cls.all(root)
        if not runs:
            raise FramematrixError(f"no runs in {root}/ yet: start one with `framematrix bench`")
        return runs[-1]

    def meta(self) -> dict[str, Any]:
        try:
            return dict(json.loads((self.path / "run.json").read_text()))
        except (OSError, ValueError) as exc:
            raise FramematrixError(f"cannot read {self.path / 'run.json'}: {exc}") from None

    def update_meta(self, **changes: Any) -> None:
        write_json_atomic(self.path / "run.json", {**self.meta(), **changes})

    def save(self, result: TrialResult) -> Path:
        path = self.trials_dir / f"{result.spec.key}.json"
        write_json_atomic(path, result.to_dict())
        return path

    def done_keys(self) -> set[str]:
        return {p.stem for p in self.trials_dir.glob("*.json")}

    def trials(self) -> Iterator[TrialResult]:
        for path in sorted(self.trials_dir.glob("*.json")):
            try:
                yield TrialResult.from_dict(json.loads(path.read_text()))
            except (OSError, ValueError, TypeError, KeyError):
                continue  # a foreign or damaged file is not a trial

    def write(self, name: str, data: object) -> Path:
        path = self.path / name
        write_json_atomic(path, data)
        return path
