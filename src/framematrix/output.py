"""Where output goes: people read the consoles (Rich), programs read `print_json`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.console import Console

from framematrix.errors import FramematrixError

# Piped output is not squeezed to 80 columns: tables stay one row per line for logs and CI.
console = Console(width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True, width=None if sys.stderr.isatty() else 160)


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
