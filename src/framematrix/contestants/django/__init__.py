"""The Django contestant: Django + Django REST framework, as the DRF tutorial teaches.

Serializers, viewsets and a router over the neutral `authors`/`posts` tables; `wsgi.py` exposes
the application that gunicorn and granian run.
"""
