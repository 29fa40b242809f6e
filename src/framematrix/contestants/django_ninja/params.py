"""Path and query parameter types the routers share.

Pydantic reads "1.0", "+1" or "1_0" as integers; the contract takes only decimal digits, so a
plain validator runs first. A path id that fails is answered 404 by `errors.py`.
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator

from framematrix import images
from framematrix.contestants.django_ninja.schemas import MAX_ID
from framematrix.contract import work


def decimal_digits(value: Any) -> Any:
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("must be a decimal integer")
    return value


Digits = BeforeValidator(decimal_digits)
ItemId = Annotated[int, Digits, Field(ge=1, le=MAX_ID)]


class Page(Schema):
    limit: Annotated[int, Digits, Field(ge=1, le=100)] = 20
    offset: Annotated[int, Digits, Field(ge=0, le=MAX_ID)] = 0


class PostFilter(Page):
    author_id: Annotated[int | None, Digits, Field(ge=1, le=MAX_ID)] = None


class Resize(Schema):
    width: Annotated[int, Digits, Field(ge=images.MIN_WIDTH, le=images.MAX_WIDTH)]


class WorkQuery(Schema):
    """`GET /work`'s parameters (RULES.md 36), bounded as `contract.work.BOUNDS` says."""

    queries: Annotated[int, Digits, Field(ge=0, le=work.BOUNDS["queries"])] = 0
    writes: Annotated[int, Digits, Field(ge=0, le=work.BOUNDS["writes"])] = 0
    calls: Annotated[int, Digits, Field(ge=0, le=work.BOUNDS["calls"])] = 0
    compute_ms: Annotated[int, Digits, Field(ge=0, le=work.BOUNDS["compute_ms"])] = 0
    items: Annotated[int, Digits, Field(ge=0, le=work.BOUNDS["items"])] = 0
    start: ItemId = 1
