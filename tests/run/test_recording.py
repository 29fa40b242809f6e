"""Why a trial with nothing delivered in its window failed, said the way it happened: a realtime
server that delivered every reading, but only after the window, fell behind the offered rate;
one that delivered none did not deliver at all."""

from __future__ import annotations

from framematrix.engines import histogram as hist
from framematrix.engines.realtime.plan import Connections, Delivery, IotPlan, IotResult
from framematrix.run.recording import nothing_completed


def iot_result(delivered: int) -> IotResult:
    plan = IotPlan(base_url="http://127.0.0.1:1", devices=2000, rate_per_device=1, subscribers=2)
    opened = Connections(opened=2000, failed=0, reconnects=0, setup=hist.new())
    return IotResult(
        engine="realtime",
        requests=0,
        duration_s=2.0,
        histogram=hist.new(),
        errors={},
        engine_cpu_s=1.0,
        cores=1,
        plan=plan,
        devices=opened,
        subscribers=opened,
        delivery=Delivery(
            expected=12_000,
            delivered=delivered,
            duplicated=0,
            out_of_order=0,
            lost=12_000 - delivered,
            lost_with_connection=0,
            missed_resubscribing=0,
        ),
        sent=6000,
        sent_in_window=4000,
        delivered_in_window=delivered,
        arrived_in_window=0,
        late=delivered,
        unsent=0,
        error_replies=0,
        pss_before_mb=None,
        pss_after_mb=None,
    )


def test_readings_that_all_arrived_after_the_window_say_the_server_fell_behind() -> None:
    said = nothing_completed(iot_result(delivered=11_998), duration_s=2.0)
    assert said == (
        "no reading arrived during the window, 11,998 after it: the server fell behind 2,000 "
        "readings a second"
    )


def test_no_reading_at_all_says_none_reached_a_subscriber() -> None:
    assert nothing_completed(iot_result(delivered=0), 2.0) == "no reading reached a subscriber"
