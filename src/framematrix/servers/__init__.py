"""Production servers: the catalog of servers (data records), one launch's configuration, and
the process that runs it. Adding a server is one record in `catalog.SERVERS`."""

from framematrix.children import free_port
from framematrix.servers.catalog import (
    SERVERS,
    TUNINGS,
    DocsTuning,
    Server,
    Settings,
    default_server,
    resolve,
    servers_for,
)
from framematrix.servers.config import ServerConfig, available_cpus
from framematrix.servers.process import RunningServer, ensure_port_free, reachable

__all__ = [
    "SERVERS",
    "TUNINGS",
    "DocsTuning",
    "RunningServer",
    "Server",
    "ServerConfig",
    "Settings",
    "available_cpus",
    "default_server",
    "ensure_port_free",
    "free_port",
    "reachable",
    "resolve",
    "servers_for",
]
