"""Where output goes: people read the consoles (Rich), programs read `print_json`."""

from __future__ import annotations

import json
import sys

from rich.console import Console

# Piped output is not squeezed to 80 columns: tables stay one row per line for logs and CI.
console = Console(width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True, width=None if sys.stderr.isatty() else 160)


def print_json(data: object) -> None:
    """Stable, indented JSON on stdout: the `--json` output of every command."""
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")
