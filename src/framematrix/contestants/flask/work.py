"""The work blueprint: `GET /work` (RULES.md 36-42) on Flask-SQLAlchemy's session.

A WSGI view makes its upstream calls one after the other. Each read is a `select` with its
author joined (always a query: `db.session.get` could answer from the identity map); the
writes are ORM `update()`s committed together; marshmallow's `PostSchema` dumps the posts.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, request
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from framematrix.contestants.flask import upstream
from framematrix.contestants.flask.extensions import db
from framematrix.contestants.flask.inputs import load
from framematrix.contestants.flask.models import Post
from framematrix.contestants.flask.schemas import post_schema, posts_schema, work_query_schema
from framematrix.contract import work

bp = Blueprint("work", __name__)
WITH_AUTHOR = joinedload(Post.author, innerjoin=True)


@bp.get("/work")
def do_work() -> dict[str, Any]:
    asked = load(work_query_schema, request.args, "query")
    start = asked["start"]
    for _ in range(asked["calls"]):
        upstream.profile(start)
    computed = work.compute(asked["compute_ms"])
    post = None
    ident = start
    for _ in range(asked["queries"]):
        post = db.session.scalar(select(Post).options(WITH_AUTHOR).where(Post.id == ident))
        if post is None:
            abort(404, "No such post.")
        ident = post.author_id
    # Dumped before the commit, which expires the session's objects (a reload otherwise).
    shown = post_schema.dump(post) if post is not None else None
    if asked["writes"]:
        for offset in range(asked["writes"]):
            touch = update(Post).where(Post.id == start + offset).values(title=Post.title)
            db.session.execute(touch.execution_options(synchronize_session=False))
        db.session.commit()
    listed: list[Post] = []
    if asked["items"]:
        query = select(Post).options(WITH_AUTHOR).order_by(Post.id).limit(asked["items"])
        listed = list(db.session.scalars(query))
    return {
        "post": shown,
        "posts": posts_schema.dump(listed),
        "computed": computed,
    }
