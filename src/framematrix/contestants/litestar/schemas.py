"""What a request may carry (msgspec `Struct`s: no unknown keys, the contract's lengths and
patterns, `UNSET` for a PATCH's absent fields) and what a response shows (SQLAlchemy DTOs)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from advanced_alchemy.extensions.litestar import SQLAlchemyDTO, SQLAlchemyDTOConfig
from msgspec import UNSET, Meta, Struct, UnsetType

from framematrix.contestants.fastapi.models import Author, Post
from framematrix.contestants.litestar.params import AuthorRef

# msgspec searches with Python's `re`: anchored, `\Z` (not `$`, which allows a final newline),
# `\s` exactly the contract's whitespace; a lone surrogate, which no database stores, refused.
TEXT = r"^[^\x00\ud800-\udfff]*\Z"
_PART = r"[^@\s\x00\ud800-\udfff]+"
EMAIL = rf"^{_PART}@{_PART}\.{_PART}\Z"

Name = Annotated[str, Meta(min_length=1, max_length=100, pattern=TEXT)]
Email = Annotated[str, Meta(max_length=254, pattern=EMAIL)]
Title = Annotated[str, Meta(min_length=1, max_length=200, pattern=TEXT)]
Content = Annotated[str, Meta(max_length=20_000, pattern=TEXT)]


class In(Struct, forbid_unknown_fields=True):
    def changes(self) -> dict[str, Any]:
        """The fields sent (a PATCH leaves the others UNSET)."""
        return {k: v for k, v in msgspec.structs.asdict(self).items() if v is not UNSET}


class AuthorIn(In):
    name: Name
    email: Email


class AuthorPatch(In):
    name: Name | UnsetType = UNSET
    email: Email | UnsetType = UNSET


class PostIn(In):
    title: Title
    content: Content
    author_id: AuthorRef


class PostPatch(In):
    title: Title | UnsetType = UNSET
    content: Content | UnsetType = UNSET
    author_id: AuthorRef | UnsetType = UNSET


class AuthorOut(SQLAlchemyDTO[Author]):
    config = SQLAlchemyDTOConfig(include={"id", "name", "email"})


class PostOut(SQLAlchemyDTO[Post]):
    config = SQLAlchemyDTOConfig(
        include={"id", "title", "content", "created_at", "author.id", "author.name", "author.email"}
    )


class AuthorView(Struct):
    id: int
    name: str
    email: str


class Profile(Struct):
    """GET /authors/{id}/profile: the author, and the upstream's object as it came."""

    author: AuthorView
    profile: dict[str, Any]


class PostView(Struct):
    id: int
    title: str
    content: str
    author: AuthorView
    created_at: datetime


class WorkDone(Struct):
    """GET /work: the last post read, the listed posts, the computation's result."""

    post: PostView | None
    posts: list[PostView]
    computed: int
