"""The article's one-file Flask app, grown to the whole contract without changing its pattern.

Kept from the article: a module-level `app` and `db = SQLAlchemy(app)`, `db.Column` models, a
`backref` relationship left lazy, `to_dict()` for output, and `Post.query.join(Author)` for the
list, which joins but does not load the authors: serialising them costs one query per author.
Changed so the contract holds: no `db.create_all()` (framematrix owns the schema), `created_at`
aware UTC written with a `Z`, `passive_deletes` so the database's ON DELETE CASCADE deletes
posts, and requests checked by the idiomatic contestant's id converter, marshmallow schemas and
error handler, imported as they are, so only reading and writing out differ between the two.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask, abort, jsonify, request
from flask.typing import ResponseReturnValue
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError

from framematrix.contestants.flask import errors
from framematrix.contestants.flask.converters import IdConverter
from framematrix.contestants.flask.inputs import body_invalid, json_object, load
from framematrix.contestants.flask.schemas import (
    author_schema,
    page_schema,
    post_filter_schema,
    post_schema,
)
from framematrix.contestants.flask.settings import MAX_BODY_BYTES
from framematrix.db.pragmas import set_sqlite_pragmas
from framematrix.db.url import DatabaseURL

DB_URL = DatabaseURL.from_env()

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = DB_URL.sqlalchemy(asyncio=False)
app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
app.url_map.converters["id"] = IdConverter
db = SQLAlchemy(app)
if DB_URL.is_sqlite:
    with app.app_context():
        event.listen(db.engine, "connect", set_sqlite_pragmas)
errors.register(app)


def rfc3339(value: datetime) -> str:
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.isoformat().replace("+00:00", "Z")


class Author(db.Model):  # type: ignore[name-defined]  # stubs type db.Model as a variable
    __tablename__ = "authors"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(100))
    email = db.Column(db.String(254))
    posts = db.relationship("Post", backref="author", lazy=True, passive_deletes=True)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "email": self.email}


class Post(db.Model):  # type: ignore[name-defined]  # stubs type db.Model as a variable
    __tablename__ = "posts"
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200))
    content = db.Column(db.Text)
    author_id = db.Column(db.Integer, db.ForeignKey("authors.id"))
    created_at = db.Column(db.DateTime(timezone=True), default=lambda: datetime.now(UTC))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "content": self.content,
            "author": {  # lazy: one SELECT per author not yet in the session
                "id": self.author.id,
                "name": self.author.name,
                "email": self.author.email,
            },
            "created_at": rfc3339(self.created_at),
        }


@app.route("/health")
def health() -> ResponseReturnValue:
    return jsonify({"status": "ok"})


@app.route("/authors")
def get_authors() -> ResponseReturnValue:
    page = load(page_schema, request.args, "query")
    authors = Author.query.order_by(Author.id).offset(page["offset"]).limit(page["limit"]).all()
    return jsonify([author.to_dict() for author in authors])


@app.route("/authors", methods=["POST"])
def create_author() -> ResponseReturnValue:
    author = Author(**load(author_schema, json_object(), "body"))
    db.session.add(author)
    commit_author()
    return jsonify(author.to_dict()), 201, {"Location": f"/authors/{author.id}"}


@app.route("/authors/<id:id>")
def get_author(id: int) -> ResponseReturnValue:
    return jsonify(db.get_or_404(Author, id).to_dict())


@app.route("/authors/<id:id>", methods=["PUT", "PATCH"])
def update_author(id: int) -> ResponseReturnValue:
    author = db.get_or_404(Author, id)
    data = load(author_schema, json_object(), "body", partial=request.method == "PATCH")
    for field, value in data.items():
        setattr(author, field, value)
    commit_author()
    return jsonify(author.to_dict())


@app.route("/authors/<id:id>", methods=["DELETE"])
def delete_author(id: int) -> ResponseReturnValue:
    db.session.delete(db.get_or_404(Author, id))
    db.session.commit()
    return "", 204


@app.route("/posts")
def get_posts() -> ResponseReturnValue:
    query = load(post_filter_schema, request.args, "query")
    posts = Post.query.join(Author)
    if "author_id" in query:
        posts = posts.filter(Post.author_id == query["author_id"])
    posts = posts.order_by(Post.id).offset(query["offset"]).limit(query["limit"]).all()
    return jsonify([post.to_dict() for post in posts])


@app.route("/posts", methods=["POST"])
def create_post() -> ResponseReturnValue:
    data = load(post_schema, json_object(), "body")
    post = Post(**data)
    post.author = author_for(data["author_id"])
    db.session.add(post)
    commit_post()
    return jsonify(post.to_dict()), 201, {"Location": f"/posts/{post.id}"}


@app.route("/posts/<id:id>")
def get_post(id: int) -> ResponseReturnValue:
    return jsonify(db.get_or_404(Post, id).to_dict())


@app.route("/posts/<id:id>", methods=["PUT", "PATCH"])
def update_post(id: int) -> ResponseReturnValue:
    post = db.get_or_404(Post, id)
    data = load(post_schema, json_object(), "body", partial=request.method == "PATCH")
    if "author_id" in data:
        post.author = author_for(data["author_id"])
    for field, value in data.items():
        setattr(post, field, value)
    commit_post()
    return jsonify(post.to_dict())


@app.route("/posts/<id:id>", methods=["DELETE"])
def delete_post(id: int) -> ResponseReturnValue:
    db.session.delete(db.get_or_404(Post, id))
    db.session.commit()
    return "", 204


def author_for(author_id: int) -> Author:
    author = db.session.get(Author, author_id)
    if author is None:
        body_invalid("author_id", "No author has this id.")
    return author


def commit_author() -> None:
    try:
        db.session.commit()
    except IntegrityError:  # the unique constraint on email decides
        db.session.rollback()
        abort(409, "This email is already taken.")


def commit_post() -> None:
    try:
        db.session.commit()
    except IntegrityError:  # the author was deleted meanwhile
        db.session.rollback()
        body_invalid("author_id", "No author has this id.")
