"""`python -m framematrix.upstream --port N --latency-ms 50 [--jitter-ms J]`: run the upstream.

Prints one line, `framematrix-upstream ready http://HOST:PORT`, once it listens (port 0 picks a
free one), then serves until SIGTERM or SIGINT. `--parent-pid` ties its life to a parent:
the kernel sends SIGTERM when that parent dies (Linux's PR_SET_PDEATHSIG, set here in the
child's own startup rather than between fork and exec, which is unsafe in a threaded parent).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import os
import signal
import sys

from framematrix.upstream.service import READY, Behaviour, serve

PR_SET_PDEATHSIG = 1


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m framematrix.upstream", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: any free port (printed)")
    parser.add_argument("--latency-ms", type=float, default=50.0, help="wait before answering")
    parser.add_argument("--jitter-ms", type=float, default=0.0, help="uniform ± around it")
    parser.add_argument("--seed", type=int, default=0, help="of the jitter's generator")
    parser.add_argument("--parent-pid", type=int, default=None, help="die when it dies")
    options = parser.parse_args(argv)
    if options.latency_ms < 0 or not 0 <= options.jitter_ms <= options.latency_ms:
        parser.error("--latency-ms must be >= 0 and --jitter-ms between 0 and --latency-ms")
    return options


def die_with(parent: int) -> None:
    """SIGTERM when `parent` dies; exit now if it already has (it died before prctl ran)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:
        sys.exit(0)


async def main(options: argparse.Namespace) -> None:
    behaviour = Behaviour(latency_s=options.latency_ms / 1000, jitter_s=options.jitter_ms / 1000)
    behaviour.rng.seed(options.seed)
    host = f"[{options.host}]" if ":" in options.host else options.host
    try:
        server = await serve(options.host, options.port, behaviour)
    except OSError as exc:
        print(f"cannot listen on {host}:{options.port}: {exc.strerror}", file=sys.stderr)
        raise SystemExit(2) from None
    port = server.sockets[0].getsockname()[1]
    print(f"{READY} http://{host}:{port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    server.close()


def run(argv: list[str] | None = None) -> None:
    options = parse(argv)
    if options.parent_pid is not None:
        die_with(options.parent_pid)
    try:
        import uvloop
    except ImportError:
        asyncio.run(main(options))
    else:
        uvloop.run(main(options))


if __name__ == "__main__":
    run()
