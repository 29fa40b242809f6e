"""A database URL, and the forms each driver wants it in.

Users give one URL (`sqlite:///path.db` or `postgresql://user@host:port/name`); every contestant
derives its own driver's form from it here, so they all reach exactly the same database.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from framematrix.errors import FramematrixError

ENV_VAR = "FRAMEMATRIX_DB_URL"
THREADS_ENV = "FRAMEMATRIX_THREADS"
"""The requests one worker of a threaded server runs at once, as its launcher set them: what a
contestant's connection pool per worker holds, so no thread waits for a connection."""
SQLITE_BUSY_TIMEOUT_MS = 30_000


def worker_threads(default: int) -> int:
    """The worker's threads (`THREADS_ENV`), or `default` where the server runs none."""
    given = os.environ.get(THREADS_ENV, "")
    return int(given) if given.isdigit() and int(given) > 0 else default


@dataclass(frozen=True)
class DatabaseURL:
    url: str

    @classmethod
    def parse(cls, url: str) -> DatabaseURL:
        scheme = urlsplit(url).scheme
        if scheme == "sqlite":
            if not url.startswith("sqlite:///") or url == "sqlite:///":
                raise FramematrixError(f"bad SQLite URL {url!r}: use sqlite:///path/to/file.db")
            return cls(url)
        if scheme in ("postgresql", "postgres"):
            parts = urlsplit(url)
            if not parts.path.strip("/"):
                raise FramematrixError(f"bad PostgreSQL URL {url!r}: it names no database")
            return cls(urlunsplit(parts._replace(scheme="postgresql")))
        raise FramematrixError(
            f"unsupported database URL {url!r}: use sqlite:///FILE or postgresql://HOST/NAME"
        )

    @classmethod
    def from_env(cls) -> DatabaseURL:
        """The URL a contestant process was started with."""
        try:
            return cls.parse(os.environ[ENV_VAR])
        except KeyError:
            raise FramematrixError(f"{ENV_VAR} is not set") from None

    @property
    def kind(self) -> str:
        """'sqlite' or 'postgresql'."""
        return urlsplit(self.url).scheme

    @property
    def is_sqlite(self) -> bool:
        return self.kind == "sqlite"

    @property
    def sqlite_path(self) -> Path:
        if not self.is_sqlite:
            raise ValueError("not a SQLite URL")
        return Path(self.url.removeprefix("sqlite:///")).expanduser().resolve()

    @property
    def libpq(self) -> str:
        """For psycopg and asyncpg: a libpq connection URI."""
        return self.url

    @property
    def pg_parts(self) -> dict[str, str | int | None]:
        """host, port, user, password, name: for Django's DATABASES setting."""
        parts = urlsplit(self.url)
        return {
            "host": parts.hostname or "",
            "port": parts.port or 5432,
            "user": parts.username or "",
            "password": parts.password or "",
            "name": parts.path.lstrip("/"),
        }

    def sqlalchemy(self, *, asyncio: bool) -> str:
        """The SQLAlchemy URL, picking the driver the contract names for each model."""
        if self.is_sqlite:
            driver = "sqlite+aiosqlite" if asyncio else "sqlite"
            return f"{driver}:///{self.sqlite_path}"
        driver = "postgresql+asyncpg" if asyncio else "postgresql+psycopg"
        return driver + self.url.removeprefix("postgresql")

    def redacted(self) -> str:
        """The URL without its password, for printing and storing."""
        parts = urlsplit(self.url)
        if not parts.password:
            return self.url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
