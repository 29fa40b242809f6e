"""The upstream service over real HTTP: its latency, its answers, its misbehaviour on request,
and its life as a child process (pinned, stopped with its group, dead with its parent)."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from framematrix.errors import FramematrixError
from framematrix.upstream.__main__ import run as run_main
from framematrix.upstream.profiles import encoded_profile
from framematrix.upstream.running import RunningUpstream, UpstreamConfig

LATENCY_MS = 30.0
SLACK_MS = 20.0
"""How late the fastest of a few answers may be: scheduling on a busy 2-core machine."""


def _timed(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    conn.request("GET", path)
    answer = conn.getresponse()
    body = answer.read()
    return answer.status, body, (time.perf_counter() - started) * 1000


def _connect(upstream: RunningUpstream, timeout: float = 5.0) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", upstream.port, timeout=timeout)


def _once(upstream: RunningUpstream, path: str, timeout: float = 5.0) -> tuple[int, bytes, float]:
    """One request on a connection of its own, closed after."""
    with contextlib.closing(_connect(upstream, timeout)) as conn:
        return _timed(conn, path)


def test_answers_after_the_latency_never_before_on_one_kept_alive_connection() -> None:
    with RunningUpstream(UpstreamConfig(latency_ms=LATENCY_MS)) as upstream:
        conn = _connect(upstream)
        _timed(conn, "/profiles/1")
        sock = conn.sock
        times = []
        for ident in range(2, 12):
            status, body, elapsed = _timed(conn, f"/profiles/{ident}")
            assert (status, body) == (200, encoded_profile(str(ident)))
            times.append(elapsed)
        assert conn.sock is sock, "the upstream closed a keep-alive connection"
        conn.close()
    assert min(times) >= LATENCY_MS, f"an answer came early: {times}"
    assert min(times) <= LATENCY_MS + SLACK_MS, f"every answer was late: {times}"


def test_jitter_spreads_answers_within_the_latency_plus_or_minus_the_jitter() -> None:
    config = UpstreamConfig(latency_ms=20.0, jitter_ms=10.0, seed=7)
    with RunningUpstream(config) as upstream:
        conn = _connect(upstream)
        times = [_timed(conn, f"/profiles/{ident}")[2] for ident in range(30)]
        conn.close()
    assert min(times) >= 10.0, times
    assert max(times) - min(times) >= 5.0, f"no jitter to be seen: {times}"
    assert min(times) <= 20.0, f"a uniform 10-30 ms jitter never went below 20 ms: {times}"


def test_pipelined_requests_are_answered_in_order_whatever_their_delays() -> None:
    idents = [str(n) for n in range(1, 9)]
    requests = b"".join(f"GET /profiles/{i} HTTP/1.1\r\nHost: x\r\n\r\n".encode() for i in idents)
    config = UpstreamConfig(latency_ms=20.0, jitter_ms=20.0, seed=3)
    with (
        RunningUpstream(config) as upstream,
        socket.create_connection(("127.0.0.1", upstream.port), timeout=5) as sock,
    ):
        sock.sendall(requests)
        received = b""
        while received.count(b"HTTP/1.1 200") < len(idents) or not received.endswith(b"}"):
            received += sock.recv(65536)
    bodies = [part.split(b"\r\n\r\n", 1)[1] for part in received.split(b"HTTP/1.1 ")[1:]]
    assert [json.loads(body)["id"] for body in bodies] == [int(i) for i in idents]


def test_unknown_paths_and_methods_and_ids_are_refused() -> None:
    with RunningUpstream(UpstreamConfig(latency_ms=0)) as upstream:
        conn = _connect(upstream)
        assert _timed(conn, "/profiles/abc")[0] == 404
        assert _timed(conn, "/nope")[0] == 404
        conn.request("POST", "/profiles/1")
        assert conn.getresponse().status == 405
        conn.close()


def test_counts_the_profile_requests_of_each_id() -> None:
    with RunningUpstream(UpstreamConfig(latency_ms=1.0)) as upstream:
        conn = _connect(upstream)
        for _ in range(3):
            _timed(conn, "/profiles/5")
        _timed(conn, "/profiles/6")
        conn.close()
        assert (upstream.calls(5), upstream.calls(6), upstream.calls(7)) == (3, 1, 0)


def test_modes_stall_answer_an_error_status_or_a_body_that_is_no_object() -> None:
    with RunningUpstream(UpstreamConfig(latency_ms=1.0)) as upstream:
        with upstream.mode("stall"), pytest.raises(TimeoutError):
            _once(upstream, "/profiles/1", timeout=0.5)
        with upstream.mode("status", 503):
            status, body, _ = _once(upstream, "/profiles/1")
            assert status == 503 and "detail" in json.loads(body)
        with upstream.mode("not-json"):
            status, body, _ = _once(upstream, "/profiles/1")
            assert status == 200 and body.startswith(b"<html>")
        with upstream.mode("not-object"):
            status, body, _ = _once(upstream, "/profiles/1")
            assert status == 200 and isinstance(json.loads(body), list)
        assert _once(upstream, "/profiles/1")[:2] == (200, encoded_profile("1"))
        with pytest.raises(FramematrixError, match="refused"):
            upstream.set_mode("sleepy")
        assert upstream.calls(1) == 5, "every profile request counts, in any mode"


def test_stopped_refuses_connections_then_comes_back_on_the_same_port() -> None:
    with RunningUpstream(UpstreamConfig(latency_ms=1.0)) as upstream:
        port, pid = upstream.port, upstream.pid
        with upstream.stopped():
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection(("127.0.0.1", port), timeout=2)
            assert not upstream.alive()
        assert upstream.port == port and upstream.pid != pid
        assert _once(upstream, "/profiles/2")[0] == 200


def test_runs_pinned_and_stops_with_its_whole_process_group() -> None:
    before = os.sched_getaffinity(0)
    core = min(before)
    with RunningUpstream(UpstreamConfig(latency_ms=1.0, cpus=(core,))) as upstream:
        pid = upstream.pid
        assert os.sched_getaffinity(pid) == {core}
        assert os.getpgid(pid) == pid, "the upstream leads a process group of its own"
        assert os.sched_getaffinity(0) == before, "pinning the child must not pin the caller"
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


PARENT = """
import sys, time
from framematrix.upstream.running import RunningUpstream, UpstreamConfig
upstream = RunningUpstream(UpstreamConfig(latency_ms=1.0)).start()
print(upstream.pid, flush=True)
time.sleep(60)
"""


def test_dies_when_its_parent_is_killed() -> None:
    argv = [sys.executable, "-c", PARENT]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, text=True) as parent:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        parent.send_signal(signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.killpg(child, signal.SIGKILL)
    pytest.fail("the upstream outlived its parent (PR_SET_PDEATHSIG not set)")


def test_refuses_a_jitter_larger_than_the_latency() -> None:
    with pytest.raises(FramematrixError, match="jitter"):
        UpstreamConfig(latency_ms=10.0, jitter_ms=20.0)
    with pytest.raises(SystemExit) as exited:
        run_main(["--latency-ms", "10", "--jitter-ms", "20"])
    assert exited.value.code == 2


def test_a_start_that_fails_says_why_in_one_line() -> None:
    with RunningUpstream(UpstreamConfig(latency_ms=1.0)) as first:
        taken = RunningUpstream(UpstreamConfig(latency_ms=1.0, port=first.port))
        with pytest.raises(FramematrixError, match="the upstream exited with code"):
            taken.start()
        assert not taken.alive()
