"""`GET /work` (RULES.md 36-42): a DRF function view doing the work its parameters describe.

A synchronous view makes its upstream calls one after the other; the reads go through the
ORM one `select_related` query each, the writes are `update()`s in one `atomic()` block, and
the posts are serialised by the API's own `PostSerializer`.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from framematrix.contestants.django import upstream
from framematrix.contestants.django.models import Post
from framematrix.contestants.django.pagination import query_int
from framematrix.contestants.django.serializers import MAX_ID, PostSerializer
from framematrix.contract import work


@api_view(["GET"])
def do_work(request: Request) -> Response:
    asked = {name: query_int(request, name, 0, 0, high) for name, high in work.BOUNDS.items()}
    start = query_int(request, work.START, 1, 1, MAX_ID)
    for _ in range(asked["calls"]):
        upstream.profile(start)
    computed = work.compute(asked["compute_ms"])
    post = None
    ident = start
    for _ in range(asked["queries"]):
        post = Post.objects.select_related("author").filter(pk=ident).first()
        if post is None:
            raise NotFound("No such post.")
        ident = post.author_id
    if asked["writes"]:
        with transaction.atomic():
            for offset in range(asked["writes"]):
                Post.objects.filter(pk=start + offset).update(title=F("title"))
    posts = Post.objects.select_related("author")[: asked["items"]] if asked["items"] else []
    return Response(
        {
            "post": PostSerializer(post).data if post is not None else None,
            "posts": PostSerializer(posts, many=True).data,
            "computed": computed,
        }
    )
