"""A version set: the requirements one `--versions` value names, checked before anything starts.

A value is one or more requirements separated by spaces: specifiers (`django==4.2.*`,
`pydantic>=2.9,<2.10`), direct references (`django @ git+https://github.com/django/django`),
or a local project folder (`../django`, named by its pyproject.toml).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from framematrix.errors import FramematrixError


@dataclass(frozen=True)
class VersionSet:
    label: str
    """As the user wrote it: the set's name in every table and trial."""
    requirements: tuple[str, ...]
    """PEP 508 requirements, a local folder written as `NAME @ file:///...`."""

    @property
    def names(self) -> tuple[str, ...]:
        """The distributions it sets, canonical (`django`, `pydantic-core`)."""
        return tuple(canonicalize_name(Requirement(r).name) for r in self.requirements)

    @property
    def direct(self) -> bool:
        """Whether it names code by location (a folder or URL), which may change under the same
        name: its environment is reinstalled on every run, not reused."""
        return any(Requirement(r).url for r in self.requirements)


def parse(label: str) -> VersionSet:
    """One `--versions` value, or one line saying what is wrong with it."""
    words = re.sub(r"\s*@\s*", "@", label).split()  # `NAME @ URL` is one requirement
    if not words:
        raise FramematrixError("bad --versions '': give requirements, e.g. \"django==4.2.*\"")
    requirements = tuple(_requirement(word, label) for word in words)
    names = [canonicalize_name(Requirement(r).name) for r in requirements]
    if len(set(names)) < len(names):
        raise FramematrixError(f"bad --versions {label!r}: it names a distribution twice")
    return VersionSet(label, requirements)


def _requirement(word: str, label: str) -> str:
    folder = Path(word).expanduser()
    if ("/" in word or word.startswith(".")) and folder.is_dir():
        return f"{_project_name(folder, label)} @ {folder.resolve().as_uri()}"
    try:
        requirement = Requirement(word)
    except InvalidRequirement as exc:
        hint = "NAME @ URL for a URL" if "://" in word else "e.g. django==4.2.* or a folder"
        raise FramematrixError(
            f"bad --versions {label!r}: {word!r} is not a requirement "
            f"({str(exc).splitlines()[0]}); use {hint}"
        ) from None
    if requirement.marker is not None or requirement.extras:
        raise FramematrixError(
            f"bad --versions {label!r}: {word!r} has extras or markers; "
            "name the distributions themselves"
        )
    return str(requirement)


def _project_name(folder: Path, label: str) -> str:
    try:
        project = tomllib.loads((folder / "pyproject.toml").read_text())["project"]
        return str(project["name"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        raise FramematrixError(
            f"bad --versions {label!r}: {folder} has no pyproject.toml naming its project; "
            "write NAME @ file:///PATH"
        ) from None
