"""Pydantic 2 models: what a request may carry and what a response looks like.

The write models are strict (a string field takes only a JSON string, `author_id` only a JSON
integer) and forbid unknown fields, with the lengths and patterns of the contract.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_ID = 2_147_483_647
NO_NUL = r"^[^\x00]*$"
# The contract's whitespace is the 29 code points of Python's str.isspace(); pydantic's Rust
# regex reads `\s` as Unicode's White_Space, which leaves out U+001C-U+001F. So, spelled out:
_EMAIL_PART = r"[^@\x00\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"
EMAIL = rf"^{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART}$"

Name = Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
Email = Annotated[str, Field(max_length=254, pattern=EMAIL)]
Title = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]
Content = Annotated[str, Field(max_length=20_000, pattern=NO_NUL)]
AuthorId = Annotated[int, Field(ge=1, le=MAX_ID)]


class WriteModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class PartialUpdate(WriteModel):
    """A PATCH body: any non-empty subset of the fields, none of them null."""

    @field_validator("*", mode="before")
    @classmethod
    def not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null")
        return value

    @model_validator(mode="after")
    def not_empty(self) -> Self:
        if not self.model_fields_set:
            raise ValueError("at least one field is required")
        return self


class AuthorCreate(WriteModel):
    """The body of POST and PUT /authors."""

    name: Name
    email: Email


class AuthorUpdate(PartialUpdate):
    name: Name | None = None
    email: Email | None = None


class AuthorRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    email: str


class PostCreate(WriteModel):
    """The body of POST and PUT /posts."""

    title: Title
    content: Content
    author_id: AuthorId


class PostUpdate(PartialUpdate):
    title: Title | None = None
    content: Content | None = None
    author_id: AuthorId | None = None


class PostRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    content: str
    author: AuthorRead
    created_at: datetime


class AuthorProfile(BaseModel):
    """GET /authors/{id}/profile: the author, and the upstream's object as it came."""

    author: AuthorRead
    profile: dict[str, Any]


class WorkDone(BaseModel):
    """GET /work: the last post read, the listed posts, the computation's result."""

    post: PostRead | None
    posts: list[PostRead]
    computed: int
