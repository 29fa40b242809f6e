"""Author and Post, mapped onto the neutral tables `authors` and `posts`."""

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
