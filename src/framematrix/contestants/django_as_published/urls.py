"""The article's urls.py: a DefaultRouter, its API root and format suffixes included.

Changed for the contract: no trailing slashes (RULES.md 1), `/health` (3), and the idiomatic
contestant's JSON error views (2, 16).
"""

from django.urls import path
from rest_framework.routers import DefaultRouter

from framematrix.contestants.django import views as idiomatic
from framematrix.contestants.django_as_published.views import AuthorViewSet, PostViewSet

router = DefaultRouter(trailing_slash=False)
router.register(r"authors", AuthorViewSet)
router.register(r"posts", PostViewSet)
urlpatterns = [path("health", idiomatic.health), *router.urls]

handler400 = "framematrix.contestants.django.exceptions.bad_request"
handler403 = "framematrix.contestants.django.exceptions.permission_denied"
handler404 = "framematrix.contestants.django.exceptions.page_not_found"
handler500 = "framematrix.contestants.django.exceptions.server_error"
