"""Views: one ModelViewSet per resource (the author's profile is an extra action), and the
health check."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from rest_framework import viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from framematrix.contestants.django import upstream
from framematrix.contestants.django.models import Author, Post
from framematrix.contestants.django.pagination import query_int
from framematrix.contestants.django.serializers import MAX_ID, AuthorSerializer, PostSerializer


@api_view(["GET"])
def health(request: Request) -> Response:
    return Response({"status": "ok"})


class ContractViewSet(viewsets.ModelViewSet):
    """A ModelViewSet whose ids are decimal and whose 201 carries `Location: /<path>/<id>`."""

    # Anything but digits is not a route, so `abc`, `-1` or `1.5` is a plain 404.
    lookup_value_regex = "[0-9]+"

    def get_serializer(self, *args: Any, **kwargs: Any) -> BaseSerializer[Any]:
        # DRF reads an empty body as {}; the contract calls it what it is: not JSON (400).
        if "data" in kwargs and self.request.stream is None:
            raise ParseError("The body is empty; send a JSON object.")
        return super().get_serializer(*args, **kwargs)

    def get_success_headers(self, data: Any) -> dict[str, str]:
        return {"Location": reverse(f"{self.basename}-detail", args=[data["id"]])}


class AuthorViewSet(ContractViewSet):
    queryset = Author.objects.all()
    serializer_class = AuthorSerializer

    @action(detail=True)
    def profile(self, request: Request, pk: str | None = None) -> Response:
        """GET /authors/{id}/profile: the author, and their profile from the upstream."""
        author = self.get_object()
        data = {"author": self.get_serializer(author).data, "profile": upstream.profile(author.pk)}
        return Response(data)


class PostViewSet(ContractViewSet):
    # select_related: one query with a join for a whole page of posts and their authors.
    queryset = Post.objects.select_related("author")
    serializer_class = PostSerializer

    def get_queryset(self) -> QuerySet[Post]:
        queryset = super().get_queryset()
        if self.action == "list" and "author_id" in self.request.query_params:
            author_id = query_int(self.request, "author_id", 0, 1, MAX_ID)
            queryset = queryset.filter(author_id=author_id)
        return queryset
