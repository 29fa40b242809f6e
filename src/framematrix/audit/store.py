"""`audit.json`: the audits of one results folder, and the claim verdicts drawn from them.

Written after every audit, merged with what the file already holds (one entry per contestant
and profile, the newest wins), so a run that dies loses nothing and profiles can be audited in
separate runs. The format is documented in AUDIT.md. The article's claims sit above the audit
(`claims/security.py`), so whoever writes the file passes their verdicts in (`Judge`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from framematrix import __version__
from framematrix.audit.model import AuditResult
from framematrix.errors import FramematrixError

FORMAT = "framematrix-audit/1"
FILENAME = "audit.json"
Judge = Callable[[list[AuditResult]], list[dict[str, object]]]
"""The article's security claims judged from the audits, as records
(`records` in `claims/security.py`)."""


def document(audits: Iterable[AuditResult], judge: Judge) -> dict[str, object]:
    audits = list(audits)
    return {
        "format": FORMAT,
        "framematrix": __version__,
        "written_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "results": [a.record() for a in audits],
        "claims": judge(audits),
    }


def load(path: Path) -> list[AuditResult]:
    """The audits in an `audit.json` (or in the one inside a folder); [] when there is none."""
    path = path / FILENAME if path.is_dir() else path
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text())
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {FORMAT!r}")
        return [AuditResult.from_record(r) for r in data["results"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise FramematrixError(f"cannot read {path}: {exc}") from None


def save(folder: Path, audits: Iterable[AuditResult], judge: Judge) -> Path:
    """Merge into `folder/audit.json`, written atomically, with `judge`'s verdicts on the whole."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FramematrixError(f"cannot create {folder}: {exc.strerror}") from None
    path = folder / FILENAME
    merged = {(a.contestant, a.profile): a for a in load(path)}
    merged.update({(a.contestant, a.profile): a for a in audits})
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(document(merged.values(), judge), indent=2, default=str) + "\n")
    os.replace(tmp, path)
    return path
