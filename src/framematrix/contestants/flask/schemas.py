"""marshmallow schemas: what a request may carry and how a resource is written out.

Unknown fields are refused (marshmallow's default, RAISE); `author_id` takes only a JSON integer.
Patterns end in `\\Z`, not `$`, because `$` would also accept a trailing newline.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from framematrix import images
from framematrix.contestants.flask.converters import MAX_ID
from framematrix.contract import work

# U+0000 is refused by the contract; lone surrogates (legal as JSON escapes) cannot be stored.
NO_NUL = validate.Regexp(
    r"[^\x00\ud800-\udfff]*\Z", error="Must not contain U+0000 or a lone surrogate."
)
_EMAIL_PART = r"[^@\s\x00\ud800-\udfff]+"
EMAIL = validate.Regexp(
    rf"{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART}\Z", error="Not a valid email address."
)
ID_RANGE = validate.Range(min=1, max=MAX_ID)


class UtcDateTime(fields.DateTime):
    """RFC 3339 in UTC with a `Z`; SQLite hands back naive UTC, PostgreSQL an aware value."""

    def _serialize(self, value: datetime | None, attr: Any, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return aware.isoformat().replace("+00:00", "Z")


class QueryInt(fields.Integer):
    """A query-string integer: ASCII digits only, so ` 5`, `+5`, `5_0` and `1e2` are refused."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        if not (isinstance(value, str) and value.isascii() and value.isdigit()):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class PatchSchema(Schema):
    """PATCH loads with `partial=True`; an empty object is still an error, on the whole body."""

    @validates_schema
    def not_empty(self, data: dict[str, Any], *, partial: Any, **kwargs: Any) -> None:
        if partial and not data:
            raise ValidationError("At least one field is required.")


class AuthorSchema(PatchSchema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=[validate.Length(min=1, max=100), NO_NUL])
    email = fields.String(required=True, validate=[validate.Length(max=254), EMAIL])


class PostSchema(PatchSchema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=[validate.Length(min=1, max=200), NO_NUL])
    content = fields.String(required=True, validate=[validate.Length(max=20_000), NO_NUL])
    author_id = fields.Integer(required=True, strict=True, load_only=True, validate=ID_RANGE)
    author = fields.Nested(AuthorSchema, dump_only=True)
    created_at = UtcDateTime(dump_only=True)


class PageSchema(Schema):
    """`limit` and `offset` of a list; other query parameters are ignored."""

    class Meta:
        unknown = EXCLUDE

    limit = QueryInt(load_default=20, validate=validate.Range(min=1, max=100))
    offset = QueryInt(load_default=0, validate=validate.Range(min=0, max=MAX_ID))


class PostFilterSchema(PageSchema):
    author_id = QueryInt(validate=ID_RANGE)


class ImageQuerySchema(Schema):
    """`width` of a resized image; other query parameters are ignored."""

    class Meta:
        unknown = EXCLUDE

    width = QueryInt(
        required=True, validate=validate.Range(min=images.MIN_WIDTH, max=images.MAX_WIDTH)
    )


class WorkQuerySchema(Schema):
    """`GET /work`'s parameters (RULES.md 36); other query parameters are ignored."""

    class Meta:
        unknown = EXCLUDE

    queries = QueryInt(load_default=0, validate=validate.Range(0, work.BOUNDS["queries"]))
    writes = QueryInt(load_default=0, validate=validate.Range(0, work.BOUNDS["writes"]))
    calls = QueryInt(load_default=0, validate=validate.Range(0, work.BOUNDS["calls"]))
    compute_ms = QueryInt(load_default=0, validate=validate.Range(0, work.BOUNDS["compute_ms"]))
    items = QueryInt(load_default=0, validate=validate.Range(0, work.BOUNDS["items"]))
    start = QueryInt(load_default=1, validate=ID_RANGE)


author_schema = AuthorSchema()
authors_schema = AuthorSchema(many=True)
post_schema = PostSchema()
posts_schema = PostSchema(many=True)
page_schema = PageSchema()
post_filter_schema = PostFilterSchema()
image_query_schema = ImageQuerySchema()
work_query_schema = WorkQuerySchema()
