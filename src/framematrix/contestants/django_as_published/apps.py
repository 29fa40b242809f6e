"""The app of the article's models, under a label of its own beside the idiomatic `blog`."""

from django.apps import AppConfig


class ArticleConfig(AppConfig):
    name = "framematrix.contestants.django_as_published"
    label = "article"
    # The neutral schema's ids are 32-bit INTEGER columns.
    default_auto_field = "django.db.models.AutoField"
