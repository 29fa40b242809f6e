"""The `django` contestant's project settings, unchanged but for the Ninja API's URLs and its
JSON 405 (the same middleware as `django_ninja`'s)."""

from __future__ import annotations

from framematrix.contestants.django.settings import *  # noqa: F403
from framematrix.contestants.django.settings import MIDDLEWARE

ROOT_URLCONF = "framematrix.contestants.django_ninja_sync.urls"
WSGI_APPLICATION = "framematrix.contestants.django_ninja_sync.wsgi.application"
MIDDLEWARE = [*MIDDLEWARE, "framematrix.contestants.django_ninja.errors.JSONMethodNotAllowed"]
