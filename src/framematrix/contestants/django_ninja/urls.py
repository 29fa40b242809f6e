"""URLs: the Ninja API of the async routers at the root, and JSON for Django's error views."""

from django.http import HttpRequest
from django.urls import path

from framematrix.contestants.django_ninja import api, authors, images, posts, work


async def health(request: HttpRequest) -> dict[str, str]:
    """Liveness only: no database."""
    return {"status": "ok"}


ninja = api.build("ninja", health, authors.router, posts.router, images.router, work.router)

urlpatterns = [path("", ninja.urls)]

handler400, handler403, handler404, handler500 = api.ERROR_VIEWS
