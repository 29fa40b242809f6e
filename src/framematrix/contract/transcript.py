"""A fixed conversation with a freshly seeded server, recorded so contestants can be compared.

Run against the same seed, every contestant must give the same statuses and, for successes, the
same bodies. Timestamps are compared as instants; those the server sets during the conversation
differ from run to run and are replaced by a marker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from framematrix.contract.client import Client
from framematrix.contract.context import parse_timestamp

SET_BY_SERVER = "<set by the server>"


@dataclass(frozen=True)
class Exchange:
    method: str
    path: str
    status: int
    body: Any
    """The normalised JSON body of a success; None for errors and empty bodies."""

    def line(self) -> str:
        return f"{self.method} {self.path} -> {self.status} {self.body!r:.300}"


class _Recorder:
    def __init__(self, base_url: str) -> None:
        self.client = Client(base_url)
        self.exchanges: list[Exchange] = []
        self.fresh_posts: set[int] = set()

    def __call__(self, method: str, path: str, body: object = None) -> Any:
        response = self.client.request(method, path, body)
        parsed = response.json() if 200 <= response.status < 300 and response.body else None
        self.exchanges.append(Exchange(method, path, response.status, self._normal(parsed)))
        return parsed

    def created(self, path: str, body: dict[str, Any]) -> int:
        """POST and return the new id; a new post's own timestamp is masked too."""
        response = self.client.post(path, body)
        made = response.json() if response.status == 201 else None
        if not isinstance(made, dict) or "id" not in made:
            raise AssertionError(f"POST {path} did not create anything: {response.describe()}")
        if path == "/posts":
            self.fresh_posts.add(made["id"])
        self.exchanges.append(Exchange("POST", path, response.status, self._normal(made)))
        return int(made["id"])

    def _normal(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self._normal(item) for item in value]
        if not isinstance(value, dict):
            return value
        out = {key: self._normal(item) for key, item in value.items()}
        if isinstance(value.get("created_at"), str):
            fresh = value.get("id") in self.fresh_posts
            out["created_at"] = SET_BY_SERVER if fresh else parse_timestamp(value["created_at"])
        return out


def record(base_url: str) -> list[Exchange]:
    """The conversation; needs a database seeded with at least 50 authors and 200 posts."""
    say = _Recorder(base_url)
    say("GET", "/health")
    say("GET", "/authors")
    say("GET", "/authors?limit=5&offset=10")
    say("GET", "/authors/7")
    say("GET", "/posts")
    say("GET", "/posts?limit=3&offset=100")
    say("GET", "/posts?author_id=3&limit=100")
    say("GET", "/posts/42")
    say("GET", "/authors/0")
    author = say.created(
        "/authors", {"name": "Transcript Author", "email": "transcript@example.com"}
    )
    say("GET", f"/authors/{author}")
    say("PUT", f"/authors/{author}", {"name": "Put Author", "email": "put@example.com"})
    say("PATCH", f"/authors/{author}", {"name": "Patched Author"})
    say("POST", "/authors", {"name": "Copy", "email": "put@example.com"})
    post = {"title": "Transcript post", "content": "Text", "author_id": author}
    author_post = say.created("/posts", post)
    say("GET", f"/posts/{author_post}")
    say("PATCH", f"/posts/{author_post}", {"title": "Patched title"})
    say("PUT", f"/posts/{author_post}", {"title": "Put title", "content": "Put", "author_id": 2})
    say("GET", "/posts?author_id=2&limit=100")
    say("DELETE", f"/posts/{author_post}")
    orphan = say.created("/posts", post)
    say("GET", f"/posts?author_id={author}")
    say("DELETE", f"/authors/{author}")
    say("GET", f"/posts/{orphan}")
    say("GET", "/authors?offset=45")
    return say.exchanges


def differences(expected: list[Exchange], actual: list[Exchange]) -> list[str]:
    """One line per exchange that differs, saying what each side got."""
    lines = [
        f"expected {e.line()}\n     got {a.line()}"
        for e, a in zip(expected, actual, strict=False)
        if e != a
    ]
    if len(expected) != len(actual):
        lines.append(f"{len(expected)} exchanges expected, {len(actual)} recorded")
    return lines
