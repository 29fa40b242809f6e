"""The realtime engine: a second kind of load engine, for WebSockets.

It does not implement the HTTP `LoadEngine` seam (`engines/base.py`): there is no request mix
and no response per request. It simulates D devices, each on its own WebSocket to
`/ws/devices/{id}`, sending R readings per second on schedule (open loop), and S subscribers on
`/ws/live` that check every reading arrives exactly once and in order, and time its delivery
from its scheduled send time. It runs in its own processes, pinned like the builtin engine's.

    result = run_iot(IotPlan(base_url=server.url, devices=100, rate_per_device=1.0,
                             subscribers=2, server_pid=server.pid))

The contract it drives is RULES.md's "Real time" part.
"""

from framematrix.engines.realtime.plan import Connections, Delivery, IotPlan, IotResult
from framematrix.engines.realtime.run import run_iot

__all__ = ["Connections", "Delivery", "IotPlan", "IotResult", "run_iot"]
