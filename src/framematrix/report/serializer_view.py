"""Where a described request asks for posts and nothing else (`items=N`), what is measured is
mostly the serialisers: one sentence per such load point, fastest first, each contestant with
the serialiser its posts go through (`contestants.serializers`), for the terminal, the reports
and `--json` (`serializers`)."""

from __future__ import annotations

from framematrix.contestants.registry import CONTESTANTS
from framematrix.results.reference import by_load
from framematrix.results.run_summary import RunSummary
from framematrix.scenarios.workload import from_name


def said(summary: RunSummary) -> list[str]:
    """`items=200 alone at c=64: litestar 189 req/s (msgspec Structs), ...`."""
    lines = []
    for at, found in by_load(summary.points).items():
        spec = from_name(at.scenario)
        if (
            spec is None
            or not spec.items
            or any(v for k, v in spec.asked().items() if k != "items")
        ):
            continue
        ranked = sorted(
            ((s.rps.median, name) for name, s in found.items() if s.rps is not None),
            reverse=True,
        )
        if not ranked:
            continue
        each = ", ".join(f"{name} {rps:,.0f} req/s ({_serializer(name)})" for rps, name in ranked)
        lines.append(
            f"items={spec.items} alone at {at.label}, where the serialisers make most of the "
            f"work, fastest first: {each}"
        )
    return lines


def _serializer(name: str) -> str:
    spec = CONTESTANTS.get(name)  # a `--url` target is no contestant
    return spec.serializer if spec and spec.serializer else "its own serialiser"
