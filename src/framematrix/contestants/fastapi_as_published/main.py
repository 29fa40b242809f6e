"""The article's one-file FastAPI app, grown to the whole contract without changing its pattern.

Kept from the article: a synchronous engine and `SessionLocal = sessionmaker(bind=engine)`, a
plain `get_db()` generator dependency, `async def` path operations that call the synchronous
`Session` (so every query blocks the event loop while it waits on the database), the legacy
`db.query(...)` API, and `db.query(Post).join(Author)` for the list, which joins but does not
load the authors: serialising them costs one lazy query per author, on the event loop too.
Changed so the contract holds: no `create_all()` (framematrix owns the schema), the idiomatic
contestant's models (its UTC `created_at`; no `Author.posts`, whose default cascade would null
the posts' author_id on delete), and its Pydantic schemas, parameter types, error handlers and
body limit, imported as they are, so only the database pattern differs between the two.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Response
from sqlalchemy import create_engine, event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from framematrix.contestants.fastapi.errors import EXCEPTION_HANDLERS, unknown_author
from framematrix.contestants.fastapi.middleware import MAX_BODY_BYTES, BodySizeLimitMiddleware
from framematrix.contestants.fastapi.models import Author, Post
from framematrix.contestants.fastapi.params import AuthorFilter, ItemId, Limit, Offset
from framematrix.contestants.fastapi.schemas import (
    AuthorCreate,
    AuthorRead,
    AuthorUpdate,
    PostCreate,
    PostRead,
    PostUpdate,
)
from framematrix.db.pragmas import set_sqlite_pragmas
from framematrix.db.url import DatabaseURL

# Database setup
DATABASE_URL = DatabaseURL.from_env()
engine = create_engine(DATABASE_URL.sqlalchemy(asyncio=False))
SessionLocal = sessionmaker(bind=engine)

if DATABASE_URL.is_sqlite:
    event.listen(engine, "connect", set_sqlite_pragmas)


# Dependency
def get_db() -> Iterator[Session]:
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


# API
app = FastAPI(redirect_slashes=False, exception_handlers=EXCEPTION_HANDLERS)
app.add_middleware(BodySizeLimitMiddleware, max_bytes=MAX_BODY_BYTES)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


def get_author_or_404(db: Session, author_id: int) -> Author:
    author = db.query(Author).filter(Author.id == author_id).first()
    if author is None:
        raise HTTPException(status_code=404, detail="Author not found")
    return author


def save_author(db: Session, author: Author) -> None:
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise HTTPException(status_code=409, detail="Email already registered") from None
    db.refresh(author)


@app.get("/authors", response_model=list[AuthorRead])
async def get_authors(limit: Limit = 20, offset: Offset = 0, db: Session = Depends(get_db)) -> Any:
    return db.query(Author).order_by(Author.id).offset(offset).limit(limit).all()


@app.post("/authors", response_model=AuthorRead, status_code=201)
async def create_author(
    author: AuthorCreate, response: Response, db: Session = Depends(get_db)
) -> Any:
    db_author = Author(**author.model_dump())
    db.add(db_author)
    save_author(db, db_author)
    response.headers["Location"] = f"/authors/{db_author.id}"
    return db_author


@app.get("/authors/{author_id}", response_model=AuthorRead)
async def get_author(author_id: ItemId, db: Session = Depends(get_db)) -> Any:
    return get_author_or_404(db, author_id)


@app.put("/authors/{author_id}", response_model=AuthorRead)
async def replace_author(
    author_id: ItemId, author: AuthorCreate, db: Session = Depends(get_db)
) -> Any:
    db_author = get_author_or_404(db, author_id)
    for field, value in author.model_dump().items():
        setattr(db_author, field, value)
    save_author(db, db_author)
    return db_author


@app.patch("/authors/{author_id}", response_model=AuthorRead)
async def update_author(
    author_id: ItemId, author: AuthorUpdate, db: Session = Depends(get_db)
) -> Any:
    db_author = get_author_or_404(db, author_id)
    for field, value in author.model_dump(exclude_unset=True).items():
        setattr(db_author, field, value)
    save_author(db, db_author)
    return db_author


@app.delete("/authors/{author_id}", status_code=204)
async def delete_author(author_id: ItemId, db: Session = Depends(get_db)) -> None:
    db.delete(get_author_or_404(db, author_id))
    db.commit()


def get_post_or_404(db: Session, post_id: int) -> Post:
    post = db.query(Post).filter(Post.id == post_id).first()
    if post is None:
        raise HTTPException(status_code=404, detail="Post not found")
    return post


def save_post(db: Session, post: Post) -> None:
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise unknown_author() from None
    db.refresh(post)


@app.get("/posts", response_model=list[PostRead])
async def get_posts(
    limit: Limit = 20,
    offset: Offset = 0,
    author_id: AuthorFilter = None,
    db: Session = Depends(get_db),
) -> Any:
    query = db.query(Post).join(Author)
    if author_id is not None:
        query = query.filter(Post.author_id == author_id)
    return query.order_by(Post.id).offset(offset).limit(limit).all()


@app.post("/posts", response_model=PostRead, status_code=201)
async def create_post(post: PostCreate, response: Response, db: Session = Depends(get_db)) -> Any:
    db_post = Post(**post.model_dump())
    db.add(db_post)
    save_post(db, db_post)
    response.headers["Location"] = f"/posts/{db_post.id}"
    return db_post


@app.get("/posts/{post_id}", response_model=PostRead)
async def get_post(post_id: ItemId, db: Session = Depends(get_db)) -> Any:
    return get_post_or_404(db, post_id)


@app.put("/posts/{post_id}", response_model=PostRead)
async def replace_post(post_id: ItemId, post: PostCreate, db: Session = Depends(get_db)) -> Any:
    db_post = get_post_or_404(db, post_id)
    for field, value in post.model_dump().items():
        setattr(db_post, field, value)
    save_post(db, db_post)
    return db_post


@app.patch("/posts/{post_id}", response_model=PostRead)
async def update_post(post_id: ItemId, post: PostUpdate, db: Session = Depends(get_db)) -> Any:
    db_post = get_post_or_404(db, post_id)
    for field, value in post.model_dump(exclude_unset=True).items():
        setattr(db_post, field, value)
    save_post(db, db_post)
    return db_post


@app.delete("/posts/{post_id}", status_code=204)
async def delete_post(post_id: ItemId, db: Session = Depends(get_db)) -> None:
    db.delete(get_post_or_404(db, post_id))
    db.commit()
