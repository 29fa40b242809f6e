"""The layering gate: the folder tree of src/framematrix is the pipeline, and imports follow it.

Every import is read with `ast` (imports inside functions and under TYPE_CHECKING count: a lazy
import still ties the two boxes together), so a box low in the pipeline never reaches up into one
above it, and the size limits the house keeps (modules, loose root modules, hand-packed
formatting) stay kept.
"""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "framematrix"

# The pipeline from low to high: a module may import only from its own box or a lower one.
# `__main__` is the entry point of `python -m framematrix`, which runs the CLI: it stands above it.
# The root box: `framematrix/__init__.py` and these loose modules.
ROOT_MODULES = ("errors", "trials", "output", "children", "flags")
BOXES = (
    "root",
    "db",
    "versions",
    "upstream",
    "images",
    "contract",
    "scenarios",
    "contestants",
    "servers",
    "measure",
    "audit",
    "engines",
    "results",
    "claims",
    "run",
    "report",
    "decide",
    "ui",
    "cli",
    "__main__",
)
MAX_MODULE_LINES = 400
MAX_LOOSE_ROOT_MODULES = 6
MAX_FMT_SKIPS = 30


@dataclass(frozen=True)
class Import:
    """One `import` of a framematrix module, where it stands."""

    source: str  # the importing module, dotted
    target: str  # the imported module (or package), dotted
    where: str  # path:line, for the failure message


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports() -> Iterator[Import]:
    modules = _modules()
    for source, path in modules.items():
        package = source if path.name == "__init__.py" else source.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                # `from package import module` imports the module, not only the package
                names = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            else:
                continue
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            for name in names:
                if name == "framematrix" or name.startswith("framematrix."):
                    while name not in modules:  # `import a.b.C` style names: the module holding it
                        name = name.rpartition(".")[0]
                    yield Import(source, name, where)


def _box(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "root"
    if parts[1] == "__main__":
        return "__main__"
    if parts[1] in ROOT_MODULES:
        return "root"
    assert (PACKAGE / parts[1]).is_dir(), f"{module}: a loose root module not named in ROOT_MODULES"
    return parts[1]


def test_every_box_is_named_in_the_order() -> None:
    packages = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").is_file()}
    assert packages == set(BOXES) - {"root", "__main__"}


def test_no_import_cycle_between_boxes() -> None:
    graph: dict[str, set[str]] = {}
    for found in _imports():
        source, target = _box(found.source), _box(found.target)
        if source != target:
            graph.setdefault(source, set()).add(target)
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as cycle:
        pytest.fail(f"boxes import each other: {' -> '.join(cycle.args[1])}")


def test_no_import_cycle_between_modules() -> None:
    graph: dict[str, set[str]] = {}
    for found in _imports():
        if found.source != found.target:
            graph.setdefault(found.source, set()).add(found.target)
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as cycle:
        pytest.fail(f"modules import each other: {' -> '.join(cycle.args[1])}")


def test_imports_go_down_the_pipeline() -> None:
    upward = [
        f"{found.where}: {found.source} ({_box(found.source)}) imports "
        f"{found.target} ({_box(found.target)})"
        for found in _imports()
        if BOXES.index(_box(found.source)) < BOXES.index(_box(found.target))
    ]
    assert not upward, "imports up the pipeline:\n" + "\n".join(upward)


def test_few_loose_modules_at_the_root() -> None:
    loose = sorted(
        path.name
        for path in PACKAGE.glob("*.py")
        if path.name not in {"__init__.py", "__main__.py"}
    )
    assert len(loose) <= MAX_LOOSE_ROOT_MODULES, f"loose root modules: {loose}"


def test_no_module_over_the_size_limit() -> None:
    long = {
        str(path.relative_to(PACKAGE.parent)): lines
        for path in _modules().values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_hand_packed_formatting_is_rare() -> None:
    # a `# fmt: off` block escapes the formatter like a `# fmt: skip` line: both count
    skips = {
        str(path.relative_to(PACKAGE.parent)): count
        for path in _modules().values()
        if (
            count := sum(
                path.read_text(encoding="utf-8").count(marker)
                for marker in ("# fmt: skip", "# fmt: off")
            )
        )
    }
    assert sum(skips.values()) <= MAX_FMT_SKIPS, f"'# fmt: skip' per module: {skips}"
