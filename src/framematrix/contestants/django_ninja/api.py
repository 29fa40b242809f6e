"""The `NinjaAPI`: its parser, the contract's error handlers, one router per resource."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ninja import NinjaAPI, Router

from framematrix.contestants.django_ninja import errors

# Django reads its error views from the root URLconf: both flavours' urls.py take these.
ERROR_VIEWS = (
    "framematrix.contestants.django.exceptions.bad_request",  # handler400
    "framematrix.contestants.django.exceptions.permission_denied",  # handler403
    "framematrix.contestants.django.exceptions.page_not_found",  # handler404
    "framematrix.contestants.django.exceptions.server_error",  # handler500
)


def build(
    namespace: str,
    health: Callable[..., Any],
    authors: Router,
    posts: Router,
    images: Router,
    work: Router,
) -> NinjaAPI:
    """The API of one flavour: the async operations' (`django_ninja.urls`) or the sync ones'
    (`django_ninja_sync.urls`); everything else is the same."""
    routers = {"/authors": authors, "/posts": posts, "/images": images, "/work": work}
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
