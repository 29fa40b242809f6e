"""URLs: the Ninja API of the sync routers at the root, and JSON for Django's error views."""

from django.http import HttpRequest
from django.urls import path

from framematrix.contestants.django_ninja import api
from framematrix.contestants.django_ninja_sync import authors, images, posts, work


def health(request: HttpRequest) -> dict[str, str]:
    """Liveness only: no database."""
    return {"status": "ok"}


ninja = api.build("ninja-sync", health, authors.router, posts.router, images.router, work.router)

urlpatterns = [path("", ninja.urls)]

handler400, handler403, handler404, handler500 = api.ERROR_VIEWS
