"""/posts: list (author joined in the same query), create, read, replace, update, delete."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from framematrix.contestants.fastapi.database import SessionDep
from framematrix.contestants.fastapi.errors import unknown_author
from framematrix.contestants.fastapi.models import Author, Post
from framematrix.contestants.fastapi.params import AuthorFilter, ItemId, Limit, Offset
from framematrix.contestants.fastapi.schemas import PostCreate, PostRead, PostUpdate

router = APIRouter(prefix="/posts", tags=["posts"])

# Async SQLAlchemy cannot lazy-load, and must not: one JOIN keeps the query count fixed.
WITH_AUTHOR = joinedload(Post.author, innerjoin=True)


async def get_post_or_404(session: SessionDep, post_id: int) -> Post:
    post = await session.get(Post, post_id, options=[WITH_AUTHOR])
    if post is None:
        raise HTTPException(status_code=404, detail="Post not found")
    return post


async def get_author_or_422(session: SessionDep, author_id: int) -> Author:
    """The post's author, which its response nests. When the post already has this author
    loaded, the session's identity map answers without a query."""
    author = await session.get(Author, author_id)
    if author is None:
        raise unknown_author()
    return author


async def save(session: SessionDep) -> None:
    """Commit the request's one transaction. A foreign-key failure here means the author was
    deleted since it was looked up; the response is built from the objects as they are."""
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise unknown_author() from None


@router.get("", response_model=list[PostRead])
async def list_posts(
    session: SessionDep, limit: Limit = 20, offset: Offset = 0, author_id: AuthorFilter = None
) -> list[Post]:
    query = select(Post).options(WITH_AUTHOR).order_by(Post.id).limit(limit).offset(offset)
    if author_id is not None:
        query = query.where(Post.author_id == author_id)
    return list(await session.scalars(query))


@router.post("", response_model=PostRead, status_code=status.HTTP_201_CREATED)
async def create_post(session: SessionDep, post_in: PostCreate, response: Response) -> Post:
    author = await get_author_or_422(session, post_in.author_id)
    post = Post(**post_in.model_dump(), author=author)
    session.add(post)
    await save(session)
    response.headers["Location"] = f"/posts/{post.id}"
    return post


@router.get("/{post_id}", response_model=PostRead)
async def read_post(session: SessionDep, post_id: ItemId) -> Post:
    return await get_post_or_404(session, post_id)


@router.put("/{post_id}", response_model=PostRead)
async def replace_post(session: SessionDep, post_id: ItemId, post_in: PostCreate) -> Post:
    post = await get_post_or_404(session, post_id)
    post.author = await get_author_or_422(session, post_in.author_id)
    for field, value in post_in.model_dump().items():
        setattr(post, field, value)
    await save(session)
    return post


@router.patch("/{post_id}", response_model=PostRead)
async def update_post(session: SessionDep, post_id: ItemId, post_in: PostUpdate) -> Post:
    post = await get_post_or_404(session, post_id)
    changes = post_in.model_dump(exclude_unset=True)
    if "author_id" in changes:
        post.author = await get_author_or_422(session, changes["author_id"])
    for field, value in changes.items():
        setattr(post, field, value)
    await save(session)
    return post


@router.delete("/{post_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_post(session: SessionDep, post_id: ItemId) -> None:
    post = await get_post_or_404(session, post_id)
    await session.delete(post)
    await session.commit()
