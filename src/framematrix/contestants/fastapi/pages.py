"""The server-rendered pages: Jinja2Templates, Starlette's session for the login, pwdlib.

Jinja2Templates autoescapes every value. The forms carry a CSRF field, and their POSTs check it,
when the app protects them (the hardened profile, security.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from framematrix.contestants.fastapi.database import SessionDep
from framematrix.contestants.fastapi.models import Post, User
from framematrix.contestants.fastapi.params import ItemId
from framematrix.contestants.fastapi.passwords import verify_password
from framematrix.contestants.fastapi.routers.posts import get_post_or_404
from framematrix.contestants.fastapi.security import PAGE_RATE, check_csrf, form_token, limiter

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
# The pages' templates are shared with Flask, the other Jinja contestant (contestants/jinja_pages).
templates = Jinja2Templates(directory=Path(__file__).parents[1] / "jinja_pages")
templates.env.globals["framework"] = "FastAPI"

LATEST = 20
MAX_TITLE = 200
MAX_CONTENT = 20_000


async def current_user(request: Request, session: SessionDep) -> User | None:
    user_id = request.session.get("user_id")
    return await session.get(User, user_id) if user_id is not None else None


CurrentUser = Annotated[User | None, Depends(current_user)]
CsrfChecked = Depends(check_csrf)


def render(request: Request, name: str, user: User | None, **context: object) -> Response:
    context.update(user=user, csrf_token=form_token(request))
    return templates.TemplateResponse(request, name, context)


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


@router.get("/")
@limiter.limit(PAGE_RATE)
async def home(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    posts = await session.scalars(select(Post).order_by(Post.id.desc()).limit(LATEST))
    return render(request, "home.html", user, posts=list(posts))


@router.get("/posts/{post_id}/view")
async def post_detail(
    request: Request, session: SessionDep, user: CurrentUser, post_id: ItemId
) -> Response:
    post = await get_post_or_404(session, post_id)
    return render(request, "post.html", user, post=post)


@router.get("/login")
async def login_form(request: Request, user: CurrentUser) -> Response:
    return render(request, "login.html", user)


@router.post("/login", dependencies=[CsrfChecked])
@limiter.limit(PAGE_RATE)
async def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    user = await session.scalar(select(User).where(User.username == username))
    # Argon2 is deliberately slow: verify in a worker thread, not on the event loop.
    if user is not None and await run_in_threadpool(verify_password, password, user.password_hash):
        request.session.clear()
        request.session["user_id"] = user.id
        return see_other("/")
    return render(request, "login.html", None, error="Wrong user name or password.")


@router.get("/posts/new")
async def post_form(request: Request, user: CurrentUser) -> Response:
    if user is None:
        return see_other("/login")
    return render(request, "post_form.html", user)


@router.post("/posts/new", dependencies=[CsrfChecked])
async def post_new(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    title: Annotated[str, Form()] = "",
    content: Annotated[str, Form()] = "",
) -> Response:
    if user is None:
        return see_other("/login")
    if not 1 <= len(title) <= MAX_TITLE or len(content) > MAX_CONTENT:
        error = f"A title of 1 to {MAX_TITLE} characters, content up to {MAX_CONTENT}."
        return render(request, "post_form.html", user, error=error, title=title, content=content)
    post = Post(title=title, content=content, author_id=user.author_id)
    session.add(post)
    await session.commit()
    return see_other(f"/posts/{post.id}/view")
