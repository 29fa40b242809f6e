"""The WSGI application that gunicorn and granian serve."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE", "framematrix.contestants.django_as_published.settings"
)

application = get_wsgi_application()
