"""The article's views.py: one ModelViewSet per resource, the authors' in the posts' style.

On the idiomatic contestant's viewsets, for what the contract forces: `ContractViewSet` (ids
are decimal, a 201 carries `Location`, an empty body is 400, RULES.md 4, 9, 14), and its posts
viewset's `?author_id=` filter (RULES.md 6), which only the queryset and serializer override.
"""

from framematrix.contestants.django import views
from framematrix.contestants.django_as_published.models import Author, Post
from framematrix.contestants.django_as_published.serializers import (
    AuthorSerializer,
    PostSerializer,
)


class AuthorViewSet(views.ContractViewSet):
    queryset = Author.objects.all()
    serializer_class = AuthorSerializer


class PostViewSet(views.PostViewSet):
    queryset = Post.objects.select_related("author").all()
    serializer_class = PostSerializer
