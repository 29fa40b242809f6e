"""Ninja `Schema`s: what a request may carry (strict JSON types, no unknown keys, the contract's
lengths and patterns) and `ModelSchema`s for what a response looks like."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, ModelSchema, Schema
from pydantic import ConfigDict, field_validator, model_validator

from framematrix.contestants.django.models import Author, Post

MAX_ID = 2_147_483_647
# Python's `re` (not pydantic's Rust engine): `\s` is then exactly the contract's whitespace,
# and a lone surrogate, which no database can store, can be refused.
TEXT = r"^[^\x00\ud800-\udfff]*\Z"
_PART = r"[^@\s\x00\ud800-\udfff]+"
EMAIL = rf"^{_PART}@{_PART}\.{_PART}\Z"

Name = Annotated[str, Field(min_length=1, max_length=100, pattern=TEXT)]
Email = Annotated[str, Field(max_length=254, pattern=EMAIL)]
Title = Annotated[str, Field(min_length=1, max_length=200, pattern=TEXT)]
Content = Annotated[str, Field(max_length=20_000, pattern=TEXT)]
AuthorRef = Annotated[int, Field(ge=1, le=MAX_ID)]


class In(Schema):
    model_config = ConfigDict(extra="forbid", strict=True, regex_engine="python-re")


class Patch(In):
    """Any non-empty subset of the fields, none of them null."""

    @field_validator("*", mode="before")
    @classmethod
    def not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null")
        return value

    @model_validator(mode="after")
    def not_empty(self) -> Patch:
        if not self.model_fields_set:
            raise ValueError("at least one field is required")
        return self


class AuthorIn(In):
    name: Name
    email: Email


class AuthorPatch(Patch):
    name: Name | None = None
    email: Email | None = None


class AuthorOut(ModelSchema):
    class Meta:
        model = Author
        fields = ["id", "name", "email"]


class PostIn(In):
    title: Title
    content: Content
    author_id: AuthorRef


class PostPatch(Patch):
    title: Title | None = None
    content: Content | None = None
    author_id: AuthorRef | None = None


class PostOut(ModelSchema):
    author: AuthorOut

    class Meta:
        model = Post
        fields = ["id", "title", "content", "created_at"]


class ProfileOut(Schema):
    author: AuthorOut
    profile: dict[str, Any]


class WorkOut(Schema):
    """`GET /work`'s answer: the last post read, the listed posts, the computation's result."""

    post: PostOut | None
    posts: list[PostOut]
    computed: int
