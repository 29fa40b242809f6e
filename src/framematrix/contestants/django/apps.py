"""The blog app's configuration."""

from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "framematrix.contestants.django"
    # The package is called `django`; a label of its own avoids confusing it with Django itself.
    label = "blog"
    # The neutral schema's ids are 32-bit INTEGER columns.
    default_auto_field = "django.db.models.AutoField"
