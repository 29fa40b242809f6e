"""URLs: the Ninja API of the async routers at the root, and JSON for Django's error views."""

from django.http import HttpRequest
from django.urls import path

from framematrix.contestants.django_ninja import api, authors, images, posts, work


async def health(request: HttpRequest) -> dict[str, str]:
    """Liveness only: no database."""
    return {"status": "ok"}


ninja = api.build(
    "ninja",
    health,
    {
        "/authors": authors.router,
        "/posts": posts.router,
        "/images": images.router,
        "/work": work.router,
    },
)

urlpatterns = [path("", ninja.urls)]

handler400 = "framematrix.contestants.django.exceptions.bad_request"
handler403 = "framematrix.contestants.django.exceptions.permission_denied"
handler404 = "framematrix.contestants.django.exceptions.page_not_found"
handler500 = "framematrix.contestants.django.exceptions.server_error"
