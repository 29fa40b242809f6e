"""Author, Post and User, mapped onto the neutral tables `authors`, `posts` and `users`."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)
    email = models.CharField(max_length=254, unique=True)

    class Meta:
        # framematrix owns the schema (framematrix.db.schema), so that every contestant works on
        # the same columns and indexes; Django only reads and writes these tables, and neither
        # creates nor migrates them.
        managed = False
        db_table = "authors"
        ordering = ["id"]


class Post(models.Model):
    title = models.CharField(max_length=200)
    content = models.TextField(max_length=20000, blank=True)
    # DO_NOTHING: the table's ON DELETE CASCADE deletes an author's posts in the same statement;
    # models.CASCADE would make Django select and delete them itself first.
    author = models.ForeignKey(Author, on_delete=models.DO_NOTHING, related_name="posts")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        managed = False  # see Author.Meta
        db_table = "posts"
        ordering = ["id"]


class User(AbstractBaseUser):
    """A login of the web pages, on the neutral `users` table.

    Django's own machinery (ModelBackend, `login()`, the password hashers) works on any model
    built on AbstractBaseUser; this one only names framematrix's columns.
    """

    username = models.CharField(max_length=150, unique=True)
    password = models.CharField(max_length=255, db_column="password_hash")
    author = models.ForeignKey(Author, on_delete=models.DO_NOTHING, related_name="+")
    last_login = None  # the neutral table has no such column

    USERNAME_FIELD = "username"

    objects = BaseUserManager()

    class Meta:
        managed = False  # see Author.Meta
        db_table = "users"


class Reading(models.Model):
    """One device reading (the realtime contract), on the neutral `readings` table."""

    id = models.BigAutoField(primary_key=True)
    device_id = models.CharField(max_length=64)
    sensor = models.CharField(max_length=50)
    value = models.FloatField()
    ts = models.DateTimeField()

    class Meta:
        managed = False  # see Author.Meta; `received_at` is the database's default
        db_table = "readings"
