"""Load that really crosses network interfaces: two locust workers, each in a network namespace
of the test's own making, joined to the root namespace by a veth pair; the master and the delay
server listen on the root end of the first pair. The same scenario and the same checks as the
local test (support/locust_truth.py), and each pair's byte counters show its worker's traffic.

The addresses are from 198.18.0.0/15, the block set aside for benchmarking (RFC 2544), on
interfaces the test creates and removes, even when it fails; nothing leaves the machine. Where
`ip netns add` is not permitted the test skips and says why.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from framematrix import scenarios
from framematrix.engines import get_engine
from framematrix.engines.base import LoadPlan
from framematrix.engines.locust.options import LocustOptions
from framematrix.servers import free_port
from support.locust_truth import LATENCY_MS, check_against_truth

pytestmark = pytest.mark.usefixtures("no_locust_left")
REQUEST_BYTES = 40
"""A GET /health request is longer than this on the wire, TCP/IP headers apart."""


@dataclass(frozen=True)
class Namespace:
    name: str
    outer: str
    """The root namespace's end of the veth pair."""
    inner: str
    gateway: str
    """The outer end's address, which the inside reaches the root namespace by."""
    address: str

    def received_bytes(self) -> int:
        return int(Path(f"/sys/class/net/{self.outer}/statistics/rx_bytes").read_text())


def ip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30, check=False)


def setup(namespace: Namespace) -> None:
    for command in (
        ("link", "add", namespace.outer, "type", "veth", "peer", "name", namespace.inner),
        ("link", "set", namespace.inner, "netns", namespace.name),
        ("addr", "add", f"{namespace.gateway}/24", "dev", namespace.outer),
        ("link", "set", namespace.outer, "up"),
        ("-n", namespace.name, "addr", "add", f"{namespace.address}/24", "dev", namespace.inner),
        ("-n", namespace.name, "link", "set", namespace.inner, "up"),
        ("-n", namespace.name, "link", "set", "lo", "up"),
        ("-n", namespace.name, "route", "add", "default", "via", namespace.gateway),
    ):
        done = ip(*command)
        assert done.returncode == 0, f"ip {' '.join(command)}: {done.stderr.strip()}"


@pytest.fixture
def two_namespaces() -> Iterator[list[Namespace]]:
    if shutil.which("ip") is None:
        pytest.skip("no `ip` command here (Debian: apt-get install iproute2)")
    tag, subnet = os.getpid() % 100_000, 10 + 2 * (os.getpid() % 120)
    made: list[Namespace] = []
    try:
        for index, letter in enumerate("ab"):
            namespace = Namespace(
                name=f"fm-locust-{tag}{letter}", outer=f"fmlw{tag}{letter}0",
                inner=f"fmlw{tag}{letter}1", gateway=f"198.18.{subnet + index}.1",
                address=f"198.18.{subnet + index}.2",
            )  # fmt: skip
            added = ip("netns", "add", namespace.name)
            if added.returncode != 0:
                pytest.skip(f"`ip netns add` is not permitted here: {added.stderr.strip()}")
            made.append(namespace)
            setup(namespace)
        yield made
    finally:
        for namespace in made:
            ip("link", "del", namespace.outer)  # removes its peer too, if still there
            ip("netns", "del", namespace.name)


def worker_in(namespace: Namespace, master: str) -> subprocess.Popen[str]:
    """`framematrix locust-worker` inside the namespace, for one trial."""
    argv = ["ip", "netns", "exec", namespace.name, sys.executable, "-m", "framematrix",
            "locust-worker", "--master", master, "--once", "--wait", "30s"]  # fmt: skip
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # fmt: skip


def test_two_workers_in_two_namespaces_send_load_across_veth(two_namespaces, delay_server):
    gateway = two_namespaces[0].gateway
    url = delay_server(latency_ms=LATENCY_MS, host=gateway)
    master = f"{gateway}:{free_port()}"
    workers = [worker_in(namespace, master) for namespace in two_namespaces]
    try:
        before = [namespace.received_bytes() for namespace in two_namespaces]
        users, duration_s = 8, 3
        plan = LoadPlan(
            base_url=url, scenario=scenarios.get("health"), concurrency=users,
            duration_s=duration_s, warmup_s=0.5, timeout_s=5,
        )  # fmt: skip
        remote = LocustOptions(locust_workers=0, locust_remote_workers=2, locust_master=master)
        result = get_engine("locust", remote).run(plan)
        check_against_truth(result, users, duration_s, workers=2)
        for namespace, earlier in zip(two_namespaces, before, strict=True):
            crossed = namespace.received_bytes() - earlier
            assert crossed >= REQUEST_BYTES * 0.4 * result.requests / 2, namespace
        for worker in workers:
            _, err = worker.communicate(timeout=30)
            assert worker.returncode == 0, err
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
