"""The API blueprint: the contract's routes over Flask-SQLAlchemy sessions.

Path ids use the app's `id` converter (converters.py): `abc`, `0`, `-1`, `1.5` and
`99999999999` are 404 before the database sees them.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from framematrix.contestants.flask.extensions import db
from framematrix.contestants.flask.inputs import body_invalid, json_object, load
from framematrix.contestants.flask.models import Author, Post
from framematrix.contestants.flask.schemas import (
    author_schema,
    authors_schema,
    page_schema,
    post_filter_schema,
    post_schema,
    posts_schema,
)

bp = Blueprint("api", __name__)

Body = tuple[dict[str, Any], int] | tuple[dict[str, Any], int, dict[str, str]]


@bp.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@bp.get("/authors")
def list_authors() -> list[dict[str, Any]]:
    page = load(page_schema, request.args, "query")
    stmt = select(Author).order_by(Author.id).limit(page["limit"]).offset(page["offset"])
    return authors_schema.dump(db.session.scalars(stmt))


@bp.post("/authors")
def create_author() -> Body:
    author = Author(**load(author_schema, json_object(), "body"))
    db.session.add(author)
    _commit_author()
    return author_schema.dump(author), 201, {"Location": url_for(".get_author", id=author.id)}


@bp.get("/authors/<id:id>")
def get_author(id: int) -> dict[str, Any]:
    return author_schema.dump(db.get_or_404(Author, id, description="No such author."))


@bp.route("/authors/<id:id>", methods=["PUT", "PATCH"])
def update_author(id: int) -> dict[str, Any]:
    author = db.get_or_404(Author, id, description="No such author.")
    data = load(author_schema, json_object(), "body", partial=request.method == "PATCH")
    for field, value in data.items():
        setattr(author, field, value)
    _commit_author()
    return author_schema.dump(author)


@bp.delete("/authors/<id:id>")
def delete_author(id: int) -> tuple[str, int]:
    db.session.delete(db.get_or_404(Author, id, description="No such author."))
    db.session.commit()  # the database's ON DELETE CASCADE removes the posts
    return "", 204


@bp.get("/posts")
def list_posts() -> list[dict[str, Any]]:
    query = load(post_filter_schema, request.args, "query")
    stmt = (
        select(Post)
        .options(joinedload(Post.author, innerjoin=True))  # one query, whatever the limit
        .order_by(Post.id)
        .limit(query["limit"])
        .offset(query["offset"])
    )
    if "author_id" in query:
        stmt = stmt.where(Post.author_id == query["author_id"])
    return posts_schema.dump(db.session.scalars(stmt))


@bp.post("/posts")
def create_post() -> Body:
    data = load(post_schema, json_object(), "body")
    post = Post(**data, author=_author_for(data["author_id"]))
    db.session.add(post)
    _commit_post()
    return post_schema.dump(post), 201, {"Location": url_for(".get_post", id=post.id)}


@bp.get("/posts/<id:id>")
def get_post(id: int) -> dict[str, Any]:
    return post_schema.dump(_post_or_404(id))


@bp.route("/posts/<id:id>", methods=["PUT", "PATCH"])
def update_post(id: int) -> dict[str, Any]:
    post = _post_or_404(id)
    data = load(post_schema, json_object(), "body", partial=request.method == "PATCH")
    if "author_id" in data:
        post.author = _author_for(data["author_id"])
    for field, value in data.items():
        setattr(post, field, value)
    _commit_post()
    return post_schema.dump(post)


@bp.delete("/posts/<id:id>")
def delete_post(id: int) -> tuple[str, int]:
    db.session.delete(db.get_or_404(Post, id, description="No such post."))
    db.session.commit()
    return "", 204


def _post_or_404(id: int) -> Post:
    stmt = select(Post).options(joinedload(Post.author, innerjoin=True)).where(Post.id == id)
    return db.first_or_404(stmt, description="No such post.")


def _author_for(author_id: int) -> Author:
    author = db.session.get(Author, author_id)
    if author is None:
        body_invalid("author_id", "No author has this id.")
    return author


def _commit_author() -> None:
    """The unique constraint on `email` decides a conflict; nothing is checked beforehand."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        abort(409, "This email is already taken.")


def _commit_post() -> None:
    """A foreign-key failure here means the author was deleted since `_author_for` saw it."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        body_invalid("author_id", "No author has this id.")
