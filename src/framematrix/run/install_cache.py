"""What a run finds once per install, kept between runs.

Some of what `matrix` records beside its trials is decided by code and versions alone, not by
how busy the machine is: the database work a request asks (the ledger), what the security audit
finds, the batteries a framework serves unasked. A run takes each finding from here when it was
found with the same framematrix code, the same installed versions and the same database server,
and finds it again otherwise: the key is a digest of framematrix's own version, the source of the
parts whose code decides the finding, and the facts the caller names (versions, database, ...),
so anything that could change a finding changes the key. Findings are kept under
`$FRAMEMATRIX_CACHE/<kind>/`, one file a name and key; a run says which it took from here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from framematrix import __version__
from framematrix.db.embedded import cache_root
from framematrix.results.store import write_json_atomic

T = TypeVar("T")
PACKAGE = Path(__file__).resolve().parent.parent
SOURCE_SUFFIXES = (".py", ".sql", ".toml", ".html", ".md", ".yaml")


@cache
def source_digest(parts: tuple[str, ...]) -> str:
    """A digest of framematrix's version and the source files under `parts` (its packages)."""
    digest = hashlib.sha256(__version__.encode())
    for part in parts:
        for path in sorted((PACKAGE / part).rglob("*")):
            if path.is_file() and path.suffix in SOURCE_SUFFIXES:
                digest.update(str(path.relative_to(PACKAGE)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def key(parts: tuple[str, ...], **facts: object) -> str:
    """What a kept finding must have been found with: the code of `parts` and `facts`."""
    found = {"source": source_digest(parts), **facts}
    return hashlib.sha256(json.dumps(found, sort_keys=True).encode()).hexdigest()[:24]


def read(kind: str, name: str, key: str) -> Any | None:
    """The record kept for `name` and `key`, or None (never kept, or unreadable)."""
    try:
        return json.loads(_path(kind, name, key).read_text())
    except (OSError, ValueError):
        return None


def keep(kind: str, name: str, key: str, record: Any) -> None:
    write_json_atomic(_path(kind, name, key), record)


def kept(
    kind: str,
    name: str,
    key: str,
    find: Callable[[], T],
    *,
    record: Callable[[T], Any],
    from_record: Callable[[Any], T],
) -> tuple[T, bool]:
    """`name`'s finding of this kind: the kept one for `key`, else `find()`'s, kept; and whether
    it came from the cache. A kept record that cannot be read back is found again."""
    data = read(kind, name, key)
    if data is not None:
        try:
            return from_record(data), True
        except (KeyError, TypeError, ValueError):
            pass
    found = find()
    keep(kind, name, key, record(found))
    return found, False


def _path(kind: str, name: str, key: str) -> Path:
    return cache_root() / kind / f"{name}.{key}.json"
