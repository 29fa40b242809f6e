"""The broker that carries readings between worker processes: one URL, one channel name.

Every realtime contestant reads its broker from these settings, so all of them fan out through
the same Redis. Redis pub/sub ignores the database number in a URL (channels are server-wide),
so the channel carries a namespace instead: the launcher gives each server its own, and two
servers (or two test runs) on one Redis never hear each other's readings.
"""

from __future__ import annotations

import os
import secrets
from urllib.parse import urlsplit

from framematrix.errors import FramematrixError

URL_ENV = "FRAMEMATRIX_BROKER_URL"
NAMESPACE_ENV = "FRAMEMATRIX_BROKER_NAMESPACE"
DEFAULT_URL = "redis://127.0.0.1:6379/0"
DEFAULT_NAMESPACE = "framematrix"
SCHEMES = ("redis", "rediss", "unix")
CHECK_TIMEOUT_S = 3.0


def url() -> str:
    """The broker a contestant process was started with."""
    return os.environ.get(URL_ENV) or DEFAULT_URL


def namespace() -> str:
    return os.environ.get(NAMESPACE_ENV) or DEFAULT_NAMESPACE


def readings_channel(space: str | None = None) -> str:
    """The one name every reading is published under: a Redis channel for the contestants that
    use pub/sub, a group name for Django Channels (letters, digits, `-`, `_` and `.` only)."""
    return f"{space or namespace()}.readings"


def new_namespace() -> str:
    return f"framematrix-{secrets.token_hex(4)}"


def parse(value: str) -> str:
    """A broker URL as given to `--broker`, or one clear line saying what is wrong with it."""
    parts = urlsplit(value)
    if parts.scheme not in SCHEMES or not (parts.hostname or parts.path):
        raise FramematrixError(f"bad broker URL {value!r}: use redis://HOST:PORT[/DB]")
    return value


def given(option: str | None) -> str | None:
    """The broker a run was told to use (`--broker`, else `FRAMEMATRIX_BROKER_URL`); None: the
    run starts its own (`db.embedded_broker`)."""
    return option or os.environ.get(URL_ENV) or None


def check(value: str) -> str:
    """Ping the broker and return its version, or raise one clear line."""
    import redis

    try:
        client = redis.Redis.from_url(parse(value), socket_timeout=CHECK_TIMEOUT_S)
        with client:
            return "Redis " + str(client.info("server").get("redis_version", "?"))
    except redis.RedisError as exc:
        raise FramematrixError(f"cannot reach broker {value}: {exc}") from None
