"""/posts: list (author joined in the same query), create, read, replace, update, delete;
plain `def` operations on Django's ORM."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router

from framematrix.contestants.django.models import Author, Post
from framematrix.contestants.django_ninja.errors import unknown_author
from framematrix.contestants.django_ninja.params import ItemId, PostFilter
from framematrix.contestants.django_ninja.schemas import PostIn, PostOut, PostPatch

router = Router(tags=["posts"])
# select_related: one query with a join for a whole page of posts and their authors.
POSTS = Post.objects.select_related("author")


def change(post: Post, changes: dict[str, Any]) -> Post:
    """Apply a write; a foreign-key failure on save means the author was deleted meanwhile."""
    if "author_id" in changes:
        author = Author.objects.filter(pk=changes.pop("author_id")).first()
        if author is None:
            raise unknown_author()
        post.author = author
    for field, value in changes.items():
        setattr(post, field, value)
    try:
        post.save()
    except IntegrityError:
        raise unknown_author() from None
    return post


@router.get("", response=list[PostOut])
def list_posts(request: HttpRequest, filters: Query[PostFilter]) -> list[Post]:
    query = POSTS.order_by("id")
    if filters.author_id is not None:
        query = query.filter(author_id=filters.author_id)
    return list(query[filters.offset : filters.offset + filters.limit])


@router.post("", response={201: PostOut})
def create_post(request: HttpRequest, response: HttpResponse, payload: PostIn) -> tuple[int, Post]:
    post = change(Post(), payload.dict())
    response["Location"] = f"/posts/{post.pk}"
    return 201, post


@router.get("/{post_id}", response=PostOut)
def read_post(request: HttpRequest, post_id: Path[ItemId]) -> Post:
    return get_object_or_404(POSTS, pk=post_id)


@router.put("/{post_id}", response=PostOut)
def replace_post(request: HttpRequest, post_id: Path[ItemId], payload: PostIn) -> Post:
    return change(get_object_or_404(POSTS, pk=post_id), payload.dict())


@router.patch("/{post_id}", response=PostOut)
def update_post(request: HttpRequest, post_id: Path[ItemId], payload: PostPatch) -> Post:
    return change(get_object_or_404(POSTS, pk=post_id), payload.dict(exclude_unset=True))


@router.delete("/{post_id}", response={204: None})
def delete_post(request: HttpRequest, post_id: Path[ItemId]) -> tuple[int, None]:
    get_object_or_404(Post, pk=post_id).delete()
    return 204, None
