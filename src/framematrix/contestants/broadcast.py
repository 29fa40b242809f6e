"""Fan-out across worker processes for the asyncio contestants with no channel layer of their own
(FastAPI and raw-asgi): Redis pub/sub through redis-py's asyncio client.

Each worker holds one Redis subscription to the readings channel and hands every message to
each of its own subscribers' queues; a device's reading is published by the worker its socket
reached. FastAPI's WebSocket docs point to the `broadcaster` package for this; it is not used,
because its `subscribe` returns before Redis has confirmed the subscription, and the contract
(RULES.md, rule R8) promises a subscriber every reading published after `{"subscribed": true}`.
The hub confirms first. FastAPI, Litestar and raw-asgi share this module and its subscriber loop
(`Hub.serve`), as the raw baselines share raw_core, so the gap between them is the framework's,
not a different fan-out.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from framematrix.db import broker

SUBSCRIBE_TIMEOUT_S = 5.0
SUBSCRIBED = '{"subscribed": true}'
BROKER_LOST = 1011
"""The close code of a subscriber whose worker lost the broker."""


class Hub:
    """One worker's link to the broker: a publishing client and one confirmed subscription."""

    def __init__(self) -> None:
        self.channel = broker.readings_channel()
        self._redis: Any = None
        self._listener: asyncio.Task[None] | None = None
        self._queues: set[asyncio.Queue[str | None]] = set()
        self._starting = asyncio.Lock()

    async def _start(self) -> None:
        """Connect, subscribe, and wait for Redis to confirm the subscription."""
        import redis.asyncio as redis

        async with self._starting:
            if self._listener is not None and not self._listener.done():
                return
            self._redis = redis.Redis.from_url(broker.url())
            pubsub = self._redis.pubsub()
            await pubsub.subscribe(self.channel)
            async with asyncio.timeout(SUBSCRIBE_TIMEOUT_S):
                while True:
                    message = await pubsub.get_message(timeout=SUBSCRIBE_TIMEOUT_S)
                    if message is not None and message["type"] == "subscribe":
                        break
            self._listener = asyncio.create_task(self._listen(pubsub))

    async def _listen(self, pubsub: Any) -> None:
        try:
            async for message in pubsub.listen():
                if message["type"] == "message":
                    text = message["data"].decode()
                    for queue in self._queues:
                        queue.put_nowait(text)
        finally:
            for queue in self._queues:
                queue.put_nowait(None)
            with contextlib.suppress(Exception):
                await pubsub.aclose()

    async def publish(self, text: str) -> None:
        """Publish one reading; returns once Redis has handed it to every subscribed worker."""
        if self._redis is None:
            await self._start()
        await self._redis.publish(self.channel, text)

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[str | None]]:
        """A queue of every reading published from now on, until the block ends; None on it
        means the hub lost the broker (the subscriber's socket should then be closed)."""
        await self._start()
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._queues.add(queue)
        try:
            yield queue
        finally:
            self._queues.discard(queue)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
            self._listener = None
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None

    async def serve(
        self,
        send_text: Callable[[str], Awaitable[None]],
        close: Callable[[int], Awaitable[None]],
        until_gone: Callable[[], Awaitable[None]],
    ) -> None:
        """One subscriber's life after its handshake: `{"subscribed": true}` once the hub's
        subscription is confirmed, then every reading, until `until_gone` returns (it left) or
        the broker is lost (the socket closed with BROKER_LOST)."""
        async with self.subscribe() as queue:
            await send_text(SUBSCRIBED)
            forward = asyncio.ensure_future(_forward(queue, send_text, close))
            gone = asyncio.ensure_future(until_gone())
            await asyncio.wait((forward, gone), return_when=asyncio.FIRST_COMPLETED)
            for task in (forward, gone):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task


async def _forward(
    queue: asyncio.Queue[str | None],
    send_text: Callable[[str], Awaitable[None]],
    close: Callable[[int], Awaitable[None]],
) -> None:
    while (text := await queue.get()) is not None:
        await send_text(text)
    await close(BROKER_LOST)
