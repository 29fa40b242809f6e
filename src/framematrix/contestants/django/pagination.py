"""Limit/offset pagination that answers a plain list, as the contract's lists are."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from framematrix.contestants.django.exceptions import InvalidQuery

# At most ten significant digits: enough for 2147483647, and never a huge int() to parse.
DECIMAL = re.compile(r"0*[0-9]{1,10}")


def query_int(request: Request, name: str, default: int, low: int, high: int) -> int:
    """A query parameter as a decimal integer in [low, high]; anything else is a 422."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not DECIMAL.fullmatch(raw) or not low <= int(raw) <= high:
        raise InvalidQuery({name: [f"Must be a decimal integer from {low} to {high}."]})
    return int(raw)


class LimitOffsetListPagination(BasePagination):
    """Like DRF's LimitOffsetPagination, without its count query and envelope."""

    default_limit = 20
    max_limit = 100
    max_offset = 2_147_483_647
    limit_query_param = "limit"
    offset_query_param = "offset"

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        limit = query_int(request, self.limit_query_param, self.default_limit, 1, self.max_limit)
        offset = query_int(request, self.offset_query_param, 0, 0, self.max_offset)
        return list(queryset[offset : offset + limit])

    def get_paginated_response(self, data: Any) -> Response:
        return Response(data)
