"""URLs: the router's resources without trailing slashes, the health check, JSON error views."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from framematrix.contestants.django import views

router = SimpleRouter(trailing_slash=False)
router.register("authors", views.AuthorViewSet)
router.register("posts", views.PostViewSet)

urlpatterns = [
    path("health", views.health),
    *router.urls,
]

handler400 = "framematrix.contestants.django.exceptions.bad_request"
handler403 = "framematrix.contestants.django.exceptions.permission_denied"
handler404 = "framematrix.contestants.django.exceptions.page_not_found"
handler500 = "framematrix.contestants.django.exceptions.server_error"
