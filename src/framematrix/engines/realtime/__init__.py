"""The realtime engine: the load engine of the WebSocket scenarios (`iot`).

Behind the same seam as the HTTP engines (`RealtimeEngine`, `engines/base.py`), though there is
no request mix and no response per request. It simulates D devices (the trial's concurrency),
each on its own WebSocket to `/ws/devices/{id}`, sending R readings per second on schedule (open
loop), and S subscribers on `/ws/live` that check every reading arrives exactly once and in
order, and time its delivery from its scheduled send time. It runs in its own processes, pinned
like the builtin engine's. Its options (`RealtimeOptions`: `--devices`, `--device-rate`,
`--subscribers`, `--broker`) are its own. Driven directly, without the seam:

    result = run_iot(IotPlan(base_url=server.url, devices=100, rate_per_device=1.0,
                             subscribers=2, server_pid=server.pid))

The contract it drives is RULES.md's "Real time" part.
"""

from framematrix.engines.realtime.engine import RealtimeEngine
from framematrix.engines.realtime.options import RealtimeOptions
from framematrix.engines.realtime.plan import Connections, Delivery, IotPlan, IotResult
from framematrix.engines.realtime.run import run_iot

__all__ = [
    "Connections",
    "Delivery",
    "IotPlan",
    "IotResult",
    "RealtimeEngine",
    "RealtimeOptions",
    "run_iot",
]
