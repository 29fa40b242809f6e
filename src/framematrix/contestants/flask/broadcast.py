"""Fan-out across worker processes for the Flask contestant: redis-py's pub/sub, with threads.

Flask-Sock runs each WebSocket in a thread of its own, so the worker's link to the broker is
threaded too: one listener thread holds the worker's Redis subscription and puts every message
on each of the worker's subscriber queues (`queue.Queue`, made for threads).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from typing import Any

from framematrix.db import broker

SUBSCRIBE_TIMEOUT_S = 5.0


class ThreadHub:
    """One worker's link to the broker: a publishing client and one confirmed subscription."""

    def __init__(self) -> None:
        self.channel = broker.readings_channel()
        self._redis: Any = None
        self._listener: threading.Thread | None = None
        self._queues: set[queue.SimpleQueue[str | None]] = set()
        self._lock = threading.Lock()

    def _start(self) -> None:
        """Connect, subscribe, and wait for Redis to confirm the subscription."""
        import redis

        with self._lock:
            if self._listener is not None and self._listener.is_alive():
                return
            if self._redis is None:
                self._redis = redis.Redis.from_url(broker.url())
            pubsub = self._redis.pubsub()
            pubsub.subscribe(self.channel)
            confirmed = pubsub.get_message(timeout=SUBSCRIBE_TIMEOUT_S)
            if confirmed is None or confirmed["type"] != "subscribe":
                raise RuntimeError(f"Redis did not confirm the subscription to {self.channel}")
            self._listener = threading.Thread(
                target=self._listen, args=(pubsub,), daemon=True, name="readings-listener"
            )
            self._listener.start()

    def _listen(self, pubsub: Any) -> None:
        try:
            for message in pubsub.listen():
                if message["type"] == "message":
                    text = message["data"].decode()
                    with self._lock:
                        queues = list(self._queues)
                    for waiting in queues:
                        waiting.put(text)
        finally:
            with self._lock:
                for waiting in self._queues:
                    waiting.put(None)
            with contextlib.suppress(Exception):
                pubsub.close()

    def publish(self, text: str) -> None:
        """Publish one reading; returns once Redis has handed it to every subscribed worker."""
        if self._redis is None:
            self._start()
        self._redis.publish(self.channel, text)

    @contextlib.contextmanager
    def subscribe(self) -> Iterator[queue.SimpleQueue[str | None]]:
        """A queue of every reading published from now on, until the block ends; None on it
        means the hub lost the broker."""
        self._start()
        waiting: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        with self._lock:
            self._queues.add(waiting)
        try:
            yield waiting
        finally:
            with self._lock:
                self._queues.discard(waiting)
