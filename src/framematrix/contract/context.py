"""What every contract check gets: a client, unique data, and assertions that explain themselves.

Checks make the data they need (with emails unique to the run), so the suite works against a
live server holding any data, and every author it made is deleted again at the end. The
upstream checks also get the upstream the server was started with, and its timeout.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from framematrix.contract.client import Client, Response
from framematrix.upstream.running import RunningUpstream

MAX_ID = 2_147_483_647
RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
AUTHOR_KEYS = {"id", "name", "email"}
POST_KEYS = {"id", "title", "content", "author", "created_at"}


class CheckFailed(AssertionError):
    """A check saw something the contract forbids; the message says what."""


def ensure(condition: object, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def parse_timestamp(value: object) -> datetime:
    """RFC 3339 UTC with a trailing Z (any number of fractional digits), as an aware datetime."""
    ensure(
        isinstance(value, str) and RFC3339_UTC.match(value),
        f"created_at {value!r} is not RFC 3339 UTC ending in Z",
    )
    assert isinstance(value, str)
    whole, _, fraction = value[:-1].partition(".")
    micro = int((fraction + "000000")[:6]) if fraction else 0
    return datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC, microsecond=micro)


def is_id(value: object) -> bool:
    return type(value) is int and 1 <= value <= MAX_ID


def _check_record(
    value: object, noun: str, keys: set[str], texts: tuple[str, str]
) -> dict[str, Any]:
    """What authors and posts share: a JSON object of exactly its keys, a valid id, two texts."""
    article = "an" if noun[0] in "aeiou" else "a"
    ensure(isinstance(value, dict), f"{article} {noun} must be a JSON object, got {value!r}")
    assert isinstance(value, dict)
    ensure(set(value) == keys, f"{noun} keys {sorted(value)} != {sorted(keys)}")
    ensure(is_id(value["id"]), f"{noun} id {value['id']!r} is not a positive 32-bit integer")
    first, second = texts
    ensure(
        isinstance(value[first], str) and isinstance(value[second], str),
        f"{noun} {first} and {second} must be strings: {value!r}",
    )
    return value


def check_author(value: object) -> dict[str, Any]:
    return _check_record(value, "author", AUTHOR_KEYS, ("name", "email"))


def check_post(value: object) -> dict[str, Any]:
    post = _check_record(value, "post", POST_KEYS, ("title", "content"))
    check_author(post["author"])
    parse_timestamp(post["created_at"])
    return post


def same_post(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Equal, comparing `created_at` as instants rather than as text."""
    stamps = parse_timestamp(a["created_at"]) == parse_timestamp(b["created_at"])
    rest = {k: v for k, v in a.items() if k != "created_at"}
    return stamps and rest == {k: v for k, v in b.items() if k != "created_at"}


class Context:
    """One suite run against one server."""

    def __init__(
        self,
        client: Client,
        upstream: RunningUpstream | None = None,
        upstream_timeout_s: float | None = None,
    ) -> None:
        self.client = client
        self.upstream = upstream
        """The upstream the server calls, held by the suite (it may stop or stall it)."""
        self.upstream_timeout_s = upstream_timeout_s
        """FRAMEMATRIX_UPSTREAM_TIMEOUT_S as the server got it, when the suite knows it."""
        self.token = uuid.uuid4().hex[:10]
        self._serial = 0
        self.created_authors: list[int] = []

    def email(self, label: str = "a") -> str:
        self._serial += 1
        return f"fm-{label}-{self.token}-{self._serial}@example.com"

    # -- assertions -------------------------------------------------------------------------

    def expect(self, response: Response, status: int) -> Any:
        """Assert the status and return the parsed body (None for an empty one)."""
        ensure(response.status == status, f"expected {status}: {response.describe()}")
        if not response.body:
            return None
        try:
            return response.json()
        except ValueError:
            raise CheckFailed(f"body is not JSON: {response.describe()}") from None

    def expect_error(self, response: Response, status: int, loc: list[str] | None = None) -> None:
        """An error answer: the status, a JSON object with `detail`, and for 422 the `loc`."""
        body = self.expect(response, status)
        ensure(
            isinstance(body, dict) and "detail" in body,
            f"error body has no 'detail': {response.describe()}",
        )
        detail = body["detail"]
        if status != 422:
            ensure(isinstance(detail, str), f"detail must be a string: {response.describe()}")
            return
        ensure(
            isinstance(detail, list) and detail,
            f"422 detail must be a non-empty list: {response.describe()}",
        )
        for item in detail:
            ensure(
                isinstance(item, dict)
                and isinstance(item.get("loc"), list)
                and isinstance(item.get("msg"), str),
                f"422 items need a list 'loc' and a string 'msg': {response.describe()}",
            )
        if loc is not None:
            locs = [item["loc"] for item in detail]
            exact = loc == ["body"]  # an empty PATCH names the body itself
            found = any(seen == loc if exact else seen[: len(loc)] == loc for seen in locs)
            ensure(
                found, f"no error with loc {loc} (got {locs}): {response.method} {response.path}"
            )

    # -- data -------------------------------------------------------------------------------

    def new_author(self, name: str = "Contract Author", email: str | None = None) -> dict[str, Any]:
        body = self.expect(
            self.client.post("/authors", {"name": name, "email": email or self.email()}), 201
        )
        author = check_author(body)
        self.created_authors.append(author["id"])
        return author

    def new_post(
        self, author_id: int, title: str = "Contract post", content: str = "Body."
    ) -> dict[str, Any]:
        payload = {"title": title, "content": content, "author_id": author_id}
        return check_post(self.expect(self.client.post("/posts", payload), 201))

    def gone_author_id(self) -> int:
        """The id of an author that existed and was deleted: valid, and certainly unknown."""
        author = self.new_author()
        self.expect(self.client.delete(f"/authors/{author['id']}"), 204)
        gone: int = author["id"]
        self.created_authors.remove(gone)
        return gone

    def gone_post_id(self) -> int:
        """The id of a post that existed and was deleted."""
        post = self.new_post(self.new_author()["id"])
        self.expect(self.client.delete(f"/posts/{post['id']}"), 204)
        return int(post["id"])

    def cleanup(self) -> None:
        """Delete every author the run made (their posts go with them)."""
        for author_id in self.created_authors:
            self.client.delete(f"/authors/{author_id}")
        self.created_authors.clear()


Check = Callable[[Context], None]


class CheckList(list[tuple[str, Check]]):
    """Named checks in the order they run; `@checks.add("what it checks")` appends one."""

    def add(self, name: str) -> Callable[[Check], Check]:
        def register(function: Check) -> Check:
            self.append((name, function))
            return function

        return register
