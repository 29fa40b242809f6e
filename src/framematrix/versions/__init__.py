"""Versions as a dimension of a run: a version set (`--versions "django==4.2.*"`) parsed and
checked, and the isolated environment it runs in, built with uv and cached between runs."""

from framematrix.versions.envs import VersionEnv, build, describe
from framematrix.versions.sets import VersionSet, parse

__all__ = ["VersionEnv", "VersionSet", "build", "describe", "parse"]
