"""The realtime engine's own options: `iot`'s load points, what each device sends, who listens,
and the broker the contestants fan the readings out through."""

from __future__ import annotations

from dataclasses import dataclass

from framematrix.db import broker
from framematrix.errors import FramematrixError
from framematrix.flags import flag


@dataclass(frozen=True)
class RealtimeOptions:
    devices: tuple[int, ...] = flag(
        (100,), "`iot`: comma-separated device counts (its load points)."
    )
    """The device counts: `iot`'s load points, as concurrencies are an HTTP scenario's."""
    device_rate: float = flag(1.0, "`iot`: readings per second each device sends.", min=0.001)
    subscribers: int = flag(2, "`iot`: subscribers that each receive every reading.", min=1)
    """Subscribers on `/ws/live`, each receiving every reading."""
    broker_url: str | None = flag(
        None,
        "Broker for real-time fan-out (redis://HOST:PORT); default: local Redis.",
        "--broker",
    )
    """None: the default broker (`framematrix.db.broker.url()`)."""

    def check(self) -> None:
        """One clear line for a value no `iot` trial could run with."""
        if not self.devices or any(d < 1 for d in self.devices) or self.subscribers < 1:
            raise FramematrixError("--devices and --subscribers must be positive")
        if self.device_rate <= 0:
            raise FramematrixError(f"--device-rate must be positive, not {self.device_rate:g}")
        if self.broker_url:
            broker.parse(self.broker_url)
