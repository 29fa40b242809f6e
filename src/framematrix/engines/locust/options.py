"""Where locust's load comes from: its options, and the layout of master and workers they make
for one plan (how many workers here and elsewhere, how many users, where the master listens)."""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass

from framematrix.engines.base import LoadPlan
from framematrix.errors import FramematrixError
from framematrix.flags import changed, flag

DEFAULT_PORT = 5557
"""Locust's own default master port (one TCP port: workers connect to it)."""
USER_RATE = 5.0
"""Open loop: the most requests per second one user is paced at (more users above)."""
SPAWN_S = 0.5
"""Closed loop: every user is started within this time, before the warm-up begins."""


def parse_master(text: str) -> tuple[str, int]:
    """`HOST[:PORT]` (`[::1]:5557` for IPv6) -> (host, port); the port defaults to 5557."""
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest.removeprefix(":")
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
    else:  # a bare host name or IPv6 address
        host, port = text, ""
    number = int(port) if port.isdigit() else (DEFAULT_PORT if not port else 0)
    if not host or not 0 < number < 65536:
        raise FramematrixError(f"bad master address {text!r}: use HOST[:PORT], e.g. 10.0.0.5:5557")
    return host, number


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class LocustOptions:
    """Where locust's load comes from: worker processes it starts here, pinned to the load
    cores, and workers on other machines that join its master. Given to `--engine locust` only."""

    locust_workers: int | None = flag(
        None, "locust: workers started here, one per load core by default.", min=0
    )
    """None: one per load core."""
    locust_remote_workers: int = flag(
        0,
        "locust: workers on other machines to wait for "
        "(`framematrix locust-worker --master HOST:PORT` on each).",
        min=0,
    )
    locust_master: str = flag(
        "",
        "locust: HOST:PORT the master listens on; default 127.0.0.1 on a free port, "
        "0.0.0.0:5557 with remote workers.",
    )
    """"": 127.0.0.1 on a free port, or 0.0.0.0:5557 (Locust's own default port) when remote
    workers are expected."""

    def check(self, engine: str) -> None:
        """These options belong to `--engine locust`; the master's address must parse."""
        given = changed(self)
        if given and engine != "locust":
            raise FramematrixError(f"{', '.join(given)} apply to --engine locust only")
        if self.locust_master:
            parse_master(self.locust_master)


@dataclass(frozen=True)
class Layout:
    """Who sends the load of one plan: workers here and elsewhere, their users, the master."""

    local: int
    remote: int
    users: int
    spawn_rate: float
    host: str
    """Where the master listens."""
    port: int | None
    """None: a free port, chosen when the trial starts."""

    @property
    def workers(self) -> int:
        return self.local + self.remote

    @property
    def connect_host(self) -> str:
        """Where local workers find the master."""
        return "127.0.0.1" if self.host in ("0.0.0.0", "*", "") else self.host

    @classmethod
    def of(cls, plan: LoadPlan, options: LocustOptions) -> Layout:
        local = plan.cores if options.locust_workers is None else options.locust_workers
        workers = local + options.locust_remote_workers
        if plan.rate is not None:
            users = min(plan.max_connections, max(workers, math.ceil(plan.rate / USER_RATE)))
            spawn_rate = plan.rate  # one user per request interval: their paces are spread
        else:
            assert plan.concurrency is not None
            users, spawn_rate = plan.concurrency, plan.concurrency / SPAWN_S
        if options.locust_master:
            host, port = parse_master(options.locust_master)
        elif options.locust_remote_workers:
            host, port = "0.0.0.0", DEFAULT_PORT
        else:
            host, port = "127.0.0.1", None
        return cls(local, options.locust_remote_workers, users, spawn_rate, host, port)
