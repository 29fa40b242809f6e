"""The contract's integers, as Litestar custom types with one type decoder.

msgspec, which Litestar validates with, converts leniently (strict=False): `"5"` and `5.0` pass
for an int in a body, `"1.0"` and `"1e3"` in a query, and Litestar's `int` path converter takes
`+1` or `1_0`. The contract takes only a JSON integer in a body and only decimal digits in a path
or query, so each integer it bounds is a subtype of `int`, decoded by `decode_bounded`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from framematrix import images
from framematrix.contract import work

MAX_ID = 2_147_483_647


class Bounded(int):
    low: ClassVar[int]
    high: ClassVar[int]
    from_text: ClassVar[bool] = True
    """A path or query parameter (text); False: a body field (a JSON integer)."""


class ItemId(Bounded):
    """An id in a path; one that fails is answered 404 (`errors.py`)."""

    low, high = 1, MAX_ID


class AuthorRef(Bounded):
    """An `author_id` in a body."""

    low, high = 1, MAX_ID
    from_text = False


class AuthorFilter(Bounded):
    """`?author_id=` of GET /posts."""

    low, high = 1, MAX_ID


class Limit(Bounded):
    low, high = 1, 100


class Offset(Bounded):
    low, high = 0, MAX_ID


class Width(Bounded):
    low, high = images.MIN_WIDTH, images.MAX_WIDTH


class Queries(Bounded):
    """GET /work's parameters (RULES.md 36), bounded as `contract.work.BOUNDS` says."""

    low, high = 0, work.BOUNDS["queries"]


class Writes(Bounded):
    low, high = 0, work.BOUNDS["writes"]


class Calls(Bounded):
    low, high = 0, work.BOUNDS["calls"]


class ComputeMs(Bounded):
    low, high = 0, work.BOUNDS["compute_ms"]


class Items(Bounded):
    low, high = 0, work.BOUNDS["items"]


class Start(Bounded):
    low, high = 1, MAX_ID


def decode_bounded(kind: type[Bounded], value: Any) -> Bounded:
    """A path or query parameter: ASCII digits; a body field: a JSON integer; either in range."""
    if kind.from_text and isinstance(value, str):
        if not (value.isascii() and value.isdigit()):
            raise ValueError("must be a decimal integer")
        number = int(value) if len(value.lstrip("0")) <= 10 else kind.high + 1
    elif type(value) is int:
        number = value
    else:
        raise TypeError("must be a JSON integer")
    if not kind.low <= number <= kind.high:
        raise ValueError(f"must be from {kind.low} to {kind.high}")
    return kind(number)


TYPE_DECODERS = [
    (lambda kind: isinstance(kind, type) and issubclass(kind, Bounded), decode_bounded)
]
