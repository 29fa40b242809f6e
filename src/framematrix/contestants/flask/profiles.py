"""The profile blueprint: an author from the database, their profile from the upstream."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from framematrix.contestants.flask import upstream
from framematrix.contestants.flask.extensions import db
from framematrix.contestants.flask.models import Author
from framematrix.contestants.flask.schemas import author_schema

bp = Blueprint("profiles", __name__)


@bp.get("/authors/<id:id>/profile")
def get_author_profile(id: int) -> dict[str, Any]:
    author = db.get_or_404(Author, id, description="No such author.")
    return {"author": author_schema.dump(author), "profile": upstream.profile(id)}
