"""The Django contestant: Django + Django REST framework, as the DRF tutorial teaches.

Serializers, viewsets and a router over the neutral `authors`/`posts` tables; `wsgi.py` exposes
the application that gunicorn and granian run.
"""

WEB_SIDE = ("pages", "forms", "passwords", "csp", "web_settings")
"""Modules of the server-rendered web side (audit/WEB_CONTRACT.md), counted apart from the API
by `framematrix.codesize` so the API's size compares with the article's one endpoint."""
