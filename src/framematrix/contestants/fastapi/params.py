"""Path and query parameter types shared by the routers.

Pydantic would read "1.0", "+1" or "1_0" as integers; the contract takes only decimal digits,
so a plain validator runs first. An id that fails is answered 404 by `errors.py`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BeforeValidator

from framematrix import images
from framematrix.contestants.fastapi.schemas import MAX_ID
from framematrix.contract import work


def decimal_digits(value: Any) -> Any:
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("must be a decimal integer")
    return value


Digits = BeforeValidator(decimal_digits)

ItemId = Annotated[int, Digits, Path(ge=1, le=MAX_ID)]
Limit = Annotated[int, Digits, Query(ge=1, le=100)]
Offset = Annotated[int, Digits, Query(ge=0, le=MAX_ID)]
AuthorFilter = Annotated[int | None, Digits, Query(ge=1, le=MAX_ID)]
Width = Annotated[int, Digits, Query(ge=images.MIN_WIDTH, le=images.MAX_WIDTH)]

# GET /work's parameters (RULES.md 36), bounded as `contract.work.BOUNDS` says.
Queries = Annotated[int, Digits, Query(ge=0, le=work.BOUNDS["queries"])]
Writes = Annotated[int, Digits, Query(ge=0, le=work.BOUNDS["writes"])]
Calls = Annotated[int, Digits, Query(ge=0, le=work.BOUNDS["calls"])]
ComputeMs = Annotated[int, Digits, Query(ge=0, le=work.BOUNDS["compute_ms"])]
Items = Annotated[int, Digits, Query(ge=0, le=work.BOUNDS["items"])]
Start = Annotated[int, Digits, Query(ge=1, le=MAX_ID)]
