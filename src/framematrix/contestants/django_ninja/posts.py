"""/posts: list (author joined in the same query), create, read, replace, update, delete;
`async def` operations on Django's async ORM."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import aget_object_or_404
from ninja import Path, Query, Router

from framematrix.contestants.django.models import Author, Post
from framematrix.contestants.django_ninja.errors import unknown_author
from framematrix.contestants.django_ninja.params import ItemId, PostFilter
from framematrix.contestants.django_ninja.schemas import PostIn, PostOut, PostPatch

router = Router(tags=["posts"])
# select_related: one query with a join for a whole page of posts and their authors.
POSTS = Post.objects.select_related("author")


async def get_author_or_422(author_id: int) -> Author:
    author = await Author.objects.filter(pk=author_id).afirst()
    if author is None:
        raise unknown_author()
    return author


async def save(post: Post) -> None:
    """A foreign-key failure here means the author was deleted since it was looked up."""
    try:
        await post.asave()
    except IntegrityError:
        raise unknown_author() from None


async def change(post: Post, changes: dict[str, Any]) -> Post:
    if "author_id" in changes:
        post.author = await get_author_or_422(changes.pop("author_id"))
    for field, value in changes.items():
        setattr(post, field, value)
    await save(post)
    return post


@router.get("", response=list[PostOut])
async def list_posts(request: HttpRequest, filters: Query[PostFilter]) -> list[Post]:
    query = POSTS.order_by("id")
    if filters.author_id is not None:
        query = query.filter(author_id=filters.author_id)
    return [post async for post in query[filters.offset : filters.offset + filters.limit]]


@router.post("", response={201: PostOut})
async def create_post(
    request: HttpRequest, response: HttpResponse, payload: PostIn
) -> tuple[int, Post]:
    post = await change(Post(), payload.dict())
    response["Location"] = f"/posts/{post.pk}"
    return 201, post


@router.get("/{post_id}", response=PostOut)
async def read_post(request: HttpRequest, post_id: Path[ItemId]) -> Post:
    return await aget_object_or_404(POSTS, pk=post_id)


@router.put("/{post_id}", response=PostOut)
async def replace_post(request: HttpRequest, post_id: Path[ItemId], payload: PostIn) -> Post:
    return await change(await aget_object_or_404(POSTS, pk=post_id), payload.dict())


@router.patch("/{post_id}", response=PostOut)
async def update_post(request: HttpRequest, post_id: Path[ItemId], payload: PostPatch) -> Post:
    post = await aget_object_or_404(POSTS, pk=post_id)
    return await change(post, payload.dict(exclude_unset=True))


@router.delete("/{post_id}", response={204: None})
async def delete_post(request: HttpRequest, post_id: Path[ItemId]) -> tuple[int, None]:
    post = await aget_object_or_404(Post, pk=post_id)
    await post.adelete()
    return 204, None
