"""The system user the embedded PostgreSQL runs as when framematrix runs as root.

PostgreSQL refuses to run as root; the server then runs as a system user of its own, made on
first use, which owns the clusters and may traverse (never list) the folders above them and
above the server's binaries.
"""

from __future__ import annotations

import os
import pwd
import stat
import subprocess
from pathlib import Path

from framematrix.errors import FramematrixError

SERVER_USER = "framematrix-pg"
"""The system user the server runs as when framematrix runs as root."""


def uid(user: str) -> int:
    return pwd.getpwnam(user).pw_uid


def chown(path: Path, user: str) -> None:
    entry = pwd.getpwnam(user)
    try:
        os.chown(path, entry.pw_uid, entry.pw_gid)
    except OSError as exc:
        raise FramematrixError(
            f"the embedded PostgreSQL's user {user} cannot own {path}: {exc.strerror}"
        ) from None


def ensure_user(user: str) -> None:
    """As root: the system user the server runs as, made once (no home, no login)."""
    try:
        pwd.getpwnam(user)
        return
    except KeyError:
        pass
    try:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user],
            check=True,
            capture_output=True,
            text=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        raise FramematrixError(
            f"PostgreSQL does not run as root, and the user {user} to run it "
            f"as could not be made: {detail.strip()}"
        ) from None


def open_path_for(*paths: Path) -> None:
    """Let the server's user traverse (x, never r) every folder above its cluster and its
    binaries, as it must to reach them."""
    for path in paths:
        for folder in [path, *path.parents]:
            mode = folder.stat().st_mode
            if not mode & stat.S_IXOTH:
                folder.chmod(mode | stat.S_IXOTH)
