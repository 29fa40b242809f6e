"""Deterministic seed data: the same authors and posts, byte for byte, on every run."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
WORDS = tuple(
    [
        "api",
        "async",
        "benchmark",
        "cache",
        "database",
        "django",
        "endpoint",
        "fastapi",
        "flask",
        "framework",
        "gunicorn",
        "latency",
        "memory",
        "model",
        "orm",
        "percentile",
        "python",
        "query",
        "request",
        "response",
        "schema",
        "server",
        "throughput",
        "uvicorn",
        "worker",
    ]
)


@dataclass(frozen=True)
class SeedSize:
    authors: int = 1000
    posts: int = 10_000


def authors(size: SeedSize) -> Iterator[tuple[str, str]]:
    """(name, email) for authors 1..N, in id order."""
    for i in range(1, size.authors + 1):
        yield f"Author {i}", f"author{i}@example.com"


def posts(size: SeedSize, seed: int = 42) -> Iterator[tuple[str, str, int, datetime]]:
    """(title, content, author_id, created_at) for posts 1..N, in id order."""
    rng = random.Random(seed)
    for i in range(1, size.posts + 1):
        title = f"Post {i}: " + " ".join(rng.choices(WORDS, k=4))
        content = " ".join(rng.choices(WORDS, k=rng.randint(20, 80)))
        author_id = rng.randint(1, size.authors) if size.authors else 0
        yield title, content, author_id, EPOCH + timedelta(minutes=i)
