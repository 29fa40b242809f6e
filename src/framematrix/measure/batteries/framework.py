"""One minimal app per framework, as the probes (`probes`) see it: how to build it bare or with
one battery switched on, the lines that switch each on, and why the others are absent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from framematrix.measure.testclient.setups import Send


@dataclass(frozen=True)
class Framework:
    name: str
    package: str
    """The distribution it is installed as: what "no extra package" is measured against."""
    serve: Callable[[str | None], Send]
    """A fresh test client on the minimal app, bare (None) or with that battery switched on."""
    switches: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Battery -> the documented lines that switch it on (what `serve` adds for it)."""
    absent: dict[str, str] = field(default_factory=dict)
    """Battery -> what a project uses instead (an extension, or code of its own)."""
    needs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Battery -> distributions its switch imports beyond the framework's own."""
