"""Content-Security-Policy from `settings.SECURE_CSP`, for Django before 6.0.

Django 6.0 ships `django.middleware.csp.ContentSecurityPolicyMiddleware` reading the same setting
(a dict of directive -> sources); settings.py picks Django's own where it exists.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = "; ".join(
            f"{directive} {' '.join(sources)}" for directive, sources in settings.SECURE_CSP.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
