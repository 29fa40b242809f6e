"""The `NinjaAPI`: its parser, the contract's error handlers, one router per resource."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ninja import NinjaAPI, Router

from framematrix.contestants.django_ninja import errors


def build(namespace: str, health: Callable[..., Any], routers: dict[str, Router]) -> NinjaAPI:
    """The API of one flavour: the async operations' (`django_ninja.urls`) or the sync ones'
    (`django_ninja_sync.urls`); everything else is the same."""
    api = NinjaAPI(
        title=f"framematrix blog API ({namespace})",
        urls_namespace=namespace,
        parser=errors.ObjectParser(),
    )
    errors.install(api)
    api.get("/health")(health)
    for prefix, router in routers.items():
        api.add_router(prefix, router)
    return api
