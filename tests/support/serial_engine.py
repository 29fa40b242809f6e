"""A throwaway load engine for tests/test_extending.py: one connection, one request at a time,
over the standard library. It exists to prove that an engine is one module plus one entry."""

from __future__ import annotations

import http.client
import resource
import time

from framematrix.engines import histogram as hist
from framematrix.engines.base import EngineResult, LoadEngine, LoadPlan, Measuring, Progress


class SerialEngine(LoadEngine):
    """Plain GET scenarios only; nothing to refuse for the tests that use it."""

    name = "serial"

    def send(
        self, plan: LoadPlan, on_progress: Progress | None, on_measuring: Measuring | None
    ) -> EngineResult:
        """No warm-up of its own: the measured window starts at once."""
        step = plan.scenario.steps[0]
        if on_measuring is not None:
            on_measuring()
        histogram = hist.new()
        errors: dict[str, int] = {}
        cpu_before = _cpu()
        started = time.monotonic()
        requests = 0
        conn = http.client.HTTPConnection(plan.host, plan.port, timeout=plan.timeout_s)
        try:
            while time.monotonic() - started < plan.duration_s:
                sent = time.monotonic()
                conn.request(step.method, plan.prefix + step.path)
                response = conn.getresponse()
                response.read()
                hist.record(histogram, (time.monotonic() - sent) * 1e6)
                requests += 1
                if response.status != step.expect:
                    key = f"status:{response.status}"
                    errors[key] = errors.get(key, 0) + 1
                if on_progress is not None:
                    on_progress(time.monotonic() - started, requests)
        finally:
            conn.close()
        return EngineResult(
            engine=self.name,
            requests=requests,
            duration_s=time.monotonic() - started,
            histogram=histogram,
            errors=errors,
            engine_cpu_s=_cpu() - cpu_before,
            cores=plan.cores,
        )


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
