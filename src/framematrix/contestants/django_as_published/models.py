"""The article's models.py on the neutral `authors` and `posts` tables.

`on_delete=models.CASCADE` is the article's: deleting an author makes Django delete their posts
itself, in a transaction with the author's DELETE, before the table's ON DELETE CASCADE gets to
(RULES.md 10 leaves it to the database; the idiomatic contestant uses DO_NOTHING).
Changed for the contract: `Meta` (framematrix owns the schema, RULES.md 22; lists by id, 5),
`email` a CharField with the contract's pattern (DRF's EmailField would trim it, and Django's
EmailValidator refuses `üser@exämple.test` and takes `user@localhost`, RULES.md 12-13), and
`content` may be empty but not over 20,000 code points (openapi.yaml). No `unique` on `email`,
as printed: the table's unique constraint decides (409), with no check before the insert.
"""

from django.db import models

from framematrix.contestants.django.serializers import email_pattern


class Author(models.Model):
    name = models.CharField(max_length=100)
    email = models.CharField(max_length=254, validators=[email_pattern])

    class Meta:
        managed = False
        db_table = "authors"
        ordering = ["id"]


class Post(models.Model):
    title = models.CharField(max_length=200)
    content = models.TextField(max_length=20000, blank=True)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        managed = False
        db_table = "posts"
        ordering = ["id"]
