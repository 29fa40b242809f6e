"""Where output goes: people read the consoles (Rich), programs read `print_json`.

Width: a terminal's own width; when output is piped, `COLUMNS` if set, else `DEFAULT_WIDTH` (the
width every default view of `matrix`, `bench`, `results` and `compare` is laid out for). `--wide`
lifts a piped console to `WIDE_WIDTH` for the full tables. Rich drops colours and styles by
itself when output is not a terminal; `unicode_ok` says whether marks such as ✓ can be shown.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TextIO

from rich.console import Console

from framematrix.errors import FramematrixError

DEFAULT_WIDTH = 100
WIDE_WIDTH = 160


def _width(stream: TextIO) -> int | None:
    """None lets Rich measure a terminal or read `COLUMNS`."""
    return None if stream.isatty() or os.environ.get("COLUMNS") else DEFAULT_WIDTH


console = Console(width=_width(sys.stdout))
errors = Console(stderr=True, width=_width(sys.stderr))


def widen() -> None:
    """`--wide`: piped output gets room for the full tables (a terminal keeps its own width)."""
    for target in (console, errors):
        if not target.is_terminal:
            target.width = max(target.width, WIDE_WIDTH)


def unicode_ok(target: Console) -> bool:
    """Whether the console can print ✓ ✗ … (else the plain ASCII forms are used)."""
    return target.encoding.lower().startswith("utf")


def print_json(data: object) -> None:
    """Stable, indented JSON on stdout: the `--json` output of every command."""
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


def write_text(target: str | Path, text: str) -> None:
    """Write an export or report to a file, or to stdout for `-`; one clear line if it fails."""
    if str(target) == "-":
        sys.stdout.write(text)
        return
    try:
        Path(target).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise FramematrixError(f"cannot write {target}: {exc.strerror}") from None
