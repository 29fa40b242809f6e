"""/authors: list, create, read, replace, update, delete, and the profile from the upstream;
`async def` operations on Django's async ORM (`aget`, `asave`, `adelete`)."""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.db import IntegrityError, close_old_connections
from django.http import HttpRequest, HttpResponse
from django.shortcuts import aget_object_or_404
from ninja import Path, Query, Router

from framematrix.contestants.django.models import Author
from framematrix.contestants.django_ninja import upstream
from framematrix.contestants.django_ninja.errors import email_taken
from framematrix.contestants.django_ninja.params import ItemId, Page
from framematrix.contestants.django_ninja.schemas import (
    AuthorIn,
    AuthorOut,
    AuthorPatch,
    ProfileOut,
)

router = Router(tags=["authors"])


async def save(author: Author) -> None:
    """The unique constraint on email, not a prior lookup, decides a conflict."""
    try:
        await author.asave()
    except IntegrityError:
        raise email_taken() from None


async def change(author: Author, changes: dict[str, Any]) -> Author:
    for field, value in changes.items():
        setattr(author, field, value)
    await save(author)
    return author


@router.get("", response=list[AuthorOut])
async def list_authors(request: HttpRequest, page: Query[Page]) -> list[Author]:
    query = Author.objects.order_by("id")[page.offset : page.offset + page.limit]
    return [author async for author in query]


@router.post("", response={201: AuthorOut})
async def create_author(
    request: HttpRequest, response: HttpResponse, payload: AuthorIn
) -> tuple[int, Author]:
    author = Author(**payload.dict())
    await save(author)
    response["Location"] = f"/authors/{author.pk}"
    return 201, author


@router.get("/{author_id}", response=AuthorOut)
async def read_author(request: HttpRequest, author_id: Path[ItemId]) -> Author:
    return await aget_object_or_404(Author, pk=author_id)


@router.put("/{author_id}", response=AuthorOut)
async def replace_author(
    request: HttpRequest, author_id: Path[ItemId], payload: AuthorIn
) -> Author:
    return await change(await aget_object_or_404(Author, pk=author_id), payload.dict())


@router.patch("/{author_id}", response=AuthorOut)
async def update_author(
    request: HttpRequest, author_id: Path[ItemId], payload: AuthorPatch
) -> Author:
    author = await aget_object_or_404(Author, pk=author_id)
    return await change(author, payload.dict(exclude_unset=True))


@router.delete("/{author_id}", response={204: None})
async def delete_author(request: HttpRequest, author_id: Path[ItemId]) -> tuple[int, None]:
    """The database's ON DELETE CASCADE removes the author's posts."""
    author = await aget_object_or_404(Author, pk=author_id)
    await author.adelete()
    return 204, None


@router.get("/{author_id}/profile", response=ProfileOut)
async def read_author_profile(request: HttpRequest, author_id: Path[ItemId]) -> ProfileOut:
    author = await aget_object_or_404(Author, pk=author_id)
    # What Django does when a request ends, done before waiting on another service: with
    # CONN_MAX_AGE 0 it gives the connection back (to the pool), whose size would otherwise cap
    # how many requests can wait at once.
    await sync_to_async(close_old_connections)()
    profile = await upstream.profile(author.pk)
    return ProfileOut(author=AuthorOut.model_validate(author), profile=profile)
