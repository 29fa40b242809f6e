"""The minimal Django Ninja app (`apps_django` serves it in its project). Ninja reads a view's
parameters from its annotations at runtime, so this module keeps them as objects: no
`from __future__ import annotations`, and it is imported only once Django is configured."""

from itertools import count
from typing import Any

from django.contrib.auth.models import Group
from django.http import HttpRequest
from ninja import FilterSchema, NinjaAPI, Query, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

_apis = count()


class ItemOut(Schema):
    id: int
    name: str


class ItemFilter(FilterSchema):
    name: str | None = None


def api(battery: str | None) -> NinjaAPI:
    """The items at `/items/`, bare or with `battery` switched on (`NINJA_SWITCHES`)."""
    made = NinjaAPI(urls_namespace=f"probe{next(_apis)}")  # Ninja wants each API apart
    auth = django_auth if battery == "permissions" else None
    if battery == "filtering":

        @made.get("/items/", response=list[ItemOut])
        def filtered(request: HttpRequest, filters: Query[ItemFilter]) -> Any:
            return filters.filter(Group.objects.order_by("id"))

        return made

    def items(request: HttpRequest) -> Any:
        return Group.objects.order_by("id")

    view = paginate(items) if battery == "pagination" else items
    made.get("/items/", response=list[ItemOut], auth=auth)(view)
    return made
