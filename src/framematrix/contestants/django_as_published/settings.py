"""The `django` contestant's project settings, unchanged but for the article's app and URLs."""

from __future__ import annotations

from framematrix.contestants.django.settings import *  # noqa: F403
from framematrix.contestants.django.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "framematrix.contestants.django_as_published.apps.ArticleConfig"]
ROOT_URLCONF = "framematrix.contestants.django_as_published.urls"
WSGI_APPLICATION = "framematrix.contestants.django_as_published.wsgi.application"
