"""/authors: list, create, read, replace, update, delete, and the profile from the upstream;
plain `def` operations on Django's ORM."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router

from framematrix.contestants.django.models import Author
from framematrix.contestants.django_ninja.errors import email_taken
from framematrix.contestants.django_ninja.params import ItemId, Page
from framematrix.contestants.django_ninja.schemas import (
    AuthorIn,
    AuthorOut,
    AuthorPatch,
    ProfileOut,
)
from framematrix.contestants.django_ninja_sync import upstream

router = Router(tags=["authors"])


def change(author: Author, changes: dict[str, Any]) -> Author:
    """Apply a write; the unique constraint on email, not a prior lookup, decides a conflict."""
    for field, value in changes.items():
        setattr(author, field, value)
    try:
        author.save()
    except IntegrityError:
        raise email_taken() from None
    return author


@router.get("", response=list[AuthorOut])
def list_authors(request: HttpRequest, page: Query[Page]) -> list[Author]:
    return list(Author.objects.order_by("id")[page.offset : page.offset + page.limit])


@router.post("", response={201: AuthorOut})
def create_author(
    request: HttpRequest, response: HttpResponse, payload: AuthorIn
) -> tuple[int, Author]:
    author = change(Author(), payload.dict())
    response["Location"] = f"/authors/{author.pk}"
    return 201, author


@router.get("/{author_id}", response=AuthorOut)
def read_author(request: HttpRequest, author_id: Path[ItemId]) -> Author:
    return get_object_or_404(Author, pk=author_id)


@router.put("/{author_id}", response=AuthorOut)
def replace_author(request: HttpRequest, author_id: Path[ItemId], payload: AuthorIn) -> Author:
    return change(get_object_or_404(Author, pk=author_id), payload.dict())


@router.patch("/{author_id}", response=AuthorOut)
def update_author(request: HttpRequest, author_id: Path[ItemId], payload: AuthorPatch) -> Author:
    return change(get_object_or_404(Author, pk=author_id), payload.dict(exclude_unset=True))


@router.delete("/{author_id}", response={204: None})
def delete_author(request: HttpRequest, author_id: Path[ItemId]) -> tuple[int, None]:
    """The database's ON DELETE CASCADE removes the author's posts."""
    get_object_or_404(Author, pk=author_id).delete()
    return 204, None


@router.get("/{author_id}/profile", response=ProfileOut)
def read_author_profile(request: HttpRequest, author_id: Path[ItemId]) -> ProfileOut:
    """The thread's persistent connection holds no transaction while it waits (autocommit)."""
    author = get_object_or_404(Author, pk=author_id)
    return ProfileOut(author=AuthorOut.model_validate(author), profile=upstream.profile(author.pk))
