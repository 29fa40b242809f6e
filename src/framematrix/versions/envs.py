"""The isolated environment a version set runs in: framematrix's own requirements at the default
install's versions, with only what the set names changed; built with uv, cached between runs
(under `$FRAMEMATRIX_CACHE`, else `~/.cache/framematrix`), and recorded down to every
distribution, so a rerun installs exactly the same.

framematrix itself is not installed there: its servers import the contestants from this
checkout, through a folder on `PYTHONPATH` that holds only the `framematrix` package.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import framematrix
from framematrix.errors import FramematrixError
from framematrix.versions import uv
from framematrix.versions.sets import VersionSet

CACHE_ENV = "FRAMEMATRIX_CACHE"
MARKER = "framematrix-env.json"
"""Written last, once the environment is whole: a folder without it is rebuilt."""


def cache_root() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "framematrix"


@dataclass(frozen=True)
class VersionEnv:
    label: str
    requirements: tuple[str, ...]
    python: str | None = None
    """Its interpreter; None when it could not be built."""
    resolved: dict[str, str] = field(default_factory=dict)
    """Every distribution in it, by canonical name."""
    pins: tuple[str, ...] = ()
    """Its `pip freeze`: what `--rerun` installs, exactly, without resolving again."""
    constrained: bool = True
    """Whether the default install's versions held for everything the set does not name (False:
    they conflicted with the set, and uv chose the rest within framematrix's bounds)."""
    error: str | None = None
    """Why it could not be built: every trial in it fails with this reason."""

    @property
    def env(self) -> dict[str, str]:
        """What a server started in it needs beside its interpreter."""
        return {"PYTHONPATH": str(_sources())}

    def versions_of(self, names: Iterable[str]) -> dict[str, str]:
        wanted = [canonicalize_name(n) for n in names]
        return {
            name: self.resolved[name] for name in dict.fromkeys(wanted) if name in self.resolved
        }

    def record(self) -> dict[str, Any]:
        return asdict(self)


def describe(record: dict[str, Any], default: dict[str, str] | None = None) -> str:
    """A stored environment in one line, as reports show it: what the set resolved to, and
    which of the `default` install's recorded distributions differ beside it."""
    if record.get("error"):
        return f"not installed: {record['error']}"
    found = VersionEnv(**{**record, "requirements": tuple(record.get("requirements") or ())})
    names = [canonicalize_name(Requirement(r).name) for r in found.requirements]
    text = ", ".join(f"{n} {v}" for n, v in found.versions_of(names).items())
    others = found.versions_of(n for n in (default or {}) if canonicalize_name(n) not in names)
    moved = [
        f"{n} {v} (default {(default or {})[n]})"
        for n, v in others.items()
        if (default or {}).get(n, v) != v
    ]
    if moved:
        text += "; beside it " + ", ".join(moved)
    rest = "the rest as the default install" if found.constrained else "the rest resolved anew"
    return f"{text} ({rest}; {len(found.pins)} distributions)"


def build(version_set: VersionSet, pins: tuple[str, ...] = ()) -> VersionEnv:
    """The set's environment, from the cache when it is there; `pins` (a rerun's record)
    installs those exact distributions. A failure is kept in the result, never raised: it fails
    that set's trials, not the run."""
    try:
        return _build(version_set, pins)
    except FramematrixError as exc:
        return VersionEnv(version_set.label, version_set.requirements, error=str(exc))


def _build(version_set: VersionSet, pins: tuple[str, ...]) -> VersionEnv:
    constraints = _default_install(exclude=set(version_set.names))
    source = list(pins) if pins else [*version_set.requirements, *constraints, *_requires()]
    digest = hashlib.sha256(json.dumps([sys.version, source]).encode()).hexdigest()[:16]
    folder = cache_root() / "envs" / digest
    with _locked(folder.with_suffix(".lock")):
        marker = folder / MARKER
        if marker.is_file() and not version_set.direct:
            return _load(marker, version_set.label)
        shutil.rmtree(folder, ignore_errors=True)
        uv.run("venv", "--quiet", "--python", sys.executable, str(folder))
        python = str(folder / "bin" / "python")
        constrained = _install(python, version_set, pins, constraints)
        listed = json.loads(uv.run("pip", "list", "--python", python, "--format", "json"))
        found = VersionEnv(
            label=version_set.label,
            requirements=version_set.requirements,
            python=python,
            resolved={canonicalize_name(d["name"]): d["version"] for d in listed},
            pins=tuple(uv.run("pip", "freeze", "--python", python).split()),
            constrained=constrained,
        )
        marker.write_text(json.dumps(found.record(), indent=2))
        return found


def _load(marker: Path, label: str) -> VersionEnv:
    data = json.loads(marker.read_text())
    return VersionEnv(
        **{
            **data,
            "label": label,
            "requirements": tuple(data["requirements"]),
            "pins": tuple(data["pins"]),
        }
    )


def _install(
    python: str, version_set: VersionSet, pins: tuple[str, ...], constraints: list[str]
) -> bool:
    """Install into `python`'s environment; whether the default install's versions held."""
    with tempfile.TemporaryDirectory() as tmp:

        def listed(name: str, lines: Iterable[str]) -> str:
            path = Path(tmp) / name
            path.write_text("\n".join(lines) + "\n")
            return str(path)

        install = ["pip", "install", "--quiet", "--python", python]
        if pins:
            uv.run(*install, "--no-deps", "-r", listed("pins.txt", pins))
            return True
        wanted = [
            *install,
            "-r",
            listed("requirements.txt", [*_requires(), *version_set.requirements]),
            "--override",
            listed("overrides.txt", version_set.requirements),
        ]
        try:
            uv.run(*wanted, "--constraint", listed("constraints.txt", constraints))
        except FramematrixError:
            uv.run(*wanted)
            return False
        return True


def _requires() -> list[str]:
    """framematrix's own requirements (its extras aside): what every contestant and server
    needs."""
    found = []
    for line in metadata.requires("framematrix") or []:
        requirement = Requirement(line)
        if requirement.marker is None or "extra" not in str(requirement.marker):
            found.append(line)
    return sorted(found)


def _default_install(exclude: set[str]) -> list[str]:
    """The versions installed here, as constraints, but for framematrix and what the set names."""
    found = {}
    for dist in metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"] or "")
        if name and name != "framematrix" and name not in exclude:
            found[name] = f"{name}=={dist.version}"
    return sorted(found.values())


def _sources() -> Path:
    """A folder holding only a link to this framematrix package: what servers import it from."""
    package = Path(framematrix.__file__).resolve().parent
    folder = cache_root() / "sources" / hashlib.sha256(str(package).encode()).hexdigest()[:12]
    link = folder / "framematrix"
    if not link.is_symlink() or link.resolve() != package:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".framematrix.{os.getpid()}"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(package, target_is_directory=True)
        temporary.replace(link)
    return folder


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One builder per environment at a time (two runs, or two test workers, may want it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
