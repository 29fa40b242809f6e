"""The ASGI application that uvicorn, gunicorn's uvicorn workers and granian serve."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "framematrix.contestants.django_ninja.settings")

application = get_asgi_application()
