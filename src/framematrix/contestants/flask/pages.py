"""The server-rendered pages, as Flask's tutorial writes its blog: a blueprint, Jinja templates,
the session for the login, Werkzeug's password check.

Jinja autoescapes every value in the `.html` templates. The CSRF field appears in the forms when
the app has Flask-WTF's CSRFProtect (the hardened profile).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Blueprint, g, redirect, render_template, request, session, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash
from werkzeug.wrappers import Response

from framematrix.contestants.flask.extensions import db
from framematrix.contestants.flask.models import Post, User

# The templates are shared with FastAPI, the other Jinja contestant (contestants/jinja_pages).
bp = Blueprint("pages", __name__, template_folder=Path(__file__).parents[1] / "jinja_pages")

LATEST = 20
MAX_TITLE = 200
MAX_CONTENT = 20_000


@bp.before_app_request
def load_logged_in_user() -> None:
    user_id = session.get("user_id")
    g.user = db.session.get(User, user_id) if user_id is not None else None


@bp.app_context_processor
def page_context() -> dict[str, object]:
    return {"framework": "Flask", "user": g.get("user")}


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapped(**kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("pages.login"))
        return view(**kwargs)

    return wrapped


@bp.get("/")
def home() -> str:
    posts = db.session.scalars(select(Post).order_by(Post.id.desc()).limit(LATEST))
    return render_template("home.html", posts=posts)


@bp.get("/posts/<id:id>/view")
def post_detail(id: int) -> str:
    stmt = select(Post).options(joinedload(Post.author)).where(Post.id == id)
    post = db.first_or_404(stmt, description="No such post.")
    return render_template("post.html", post=post)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    error = None
    if request.method == "POST":
        username = request.form.get("username", "")
        user = db.session.scalar(select(User).where(User.username == username))
        if user is not None and check_password_hash(
            user.password_hash, request.form.get("password", "")
        ):
            session.clear()
            session["user_id"] = user.id
            return redirect(url_for("pages.home"), code=303)
        error = "Wrong user name or password."
    return render_template("login.html", error=error, username=request.form.get("username", ""))


@bp.route("/posts/new", methods=["GET", "POST"])
@login_required
def post_new() -> str | Response:
    error = None
    if request.method == "POST":
        title = request.form.get("title", "")
        content = request.form.get("content", "")
        if not 1 <= len(title) <= MAX_TITLE or len(content) > MAX_CONTENT:
            error = f"A title of 1 to {MAX_TITLE} characters, content up to {MAX_CONTENT}."
        else:
            post = Post(title=title, content=content, author_id=g.user.author_id)
            db.session.add(post)
            db.session.commit()
            return redirect(url_for("pages.post_detail", id=post.id), code=303)
    form = request.form
    return render_template(
        "post_form.html", error=error, title=form.get("title", ""), content=form.get("content", "")
    )
