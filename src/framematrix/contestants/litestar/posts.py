"""/posts: list (author joined in the same query), create, read, replace, update, delete."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.exceptions import NotFoundException
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from framematrix.contestants.fastapi.models import Author, Post
from framematrix.contestants.litestar.errors import empty_patch, unknown_author
from framematrix.contestants.litestar.params import AuthorFilter, ItemId, Limit, Offset
from framematrix.contestants.litestar.schemas import PostIn, PostOut, PostPatch

# Async SQLAlchemy cannot lazy-load, and must not: one JOIN keeps the query count fixed.
WITH_AUTHOR = joinedload(Post.author, innerjoin=True)


async def get_post_or_404(db_session: AsyncSession, post_id: int) -> Post:
    post = await db_session.get(Post, post_id, options=[WITH_AUTHOR])
    if post is None:
        raise NotFoundException("Post not found")
    return post


async def change(db_session: AsyncSession, post: Post, changes: dict[str, Any]) -> Post:
    """Apply a write and commit the request's one transaction. The post's author, which the
    response nests, is looked up first (the identity map answers for one already loaded); a
    foreign-key failure at commit means it was deleted since."""
    if "author_id" in changes:
        post.author = await db_session.get(Author, changes["author_id"])  # type: ignore[assignment]
        if post.author is None:
            raise unknown_author()
    for field, value in changes.items():
        setattr(post, field, value)
    db_session.add(post)
    try:
        await db_session.commit()
    except IntegrityError:
        await db_session.rollback()
        raise unknown_author() from None
    return post


class PostController(Controller):
    path = "/posts"
    tags = ["posts"]
    return_dto = PostOut

    @get()
    async def list_posts(
        self,
        db_session: AsyncSession,
        limit: Limit = Limit(20),
        offset: Offset = Offset(0),
        author_id: AuthorFilter | None = None,
    ) -> list[Post]:
        query = select(Post).options(WITH_AUTHOR).order_by(Post.id).limit(limit).offset(offset)
        if author_id is not None:
            query = query.where(Post.author_id == author_id)
        return list(await db_session.scalars(query))

    @post()
    async def create_post(self, db_session: AsyncSession, data: PostIn) -> Response[Post]:
        post = await change(db_session, Post(), data.changes())
        return Response(post, status_code=201, headers={"Location": f"/posts/{post.id}"})

    @get("/{post_id:str}")
    async def read_post(self, db_session: AsyncSession, post_id: ItemId) -> Post:
        return await get_post_or_404(db_session, post_id)

    @put("/{post_id:str}")
    async def replace_post(self, db_session: AsyncSession, post_id: ItemId, data: PostIn) -> Post:
        return await change(db_session, await get_post_or_404(db_session, post_id), data.changes())

    @patch("/{post_id:str}")
    async def update_post(self, db_session: AsyncSession, post_id: ItemId, data: PostPatch) -> Post:
        changes = data.changes()
        if not changes:
            raise empty_patch()
        return await change(db_session, await get_post_or_404(db_session, post_id), changes)

    @delete("/{post_id:str}", return_dto=None)
    async def delete_post(self, db_session: AsyncSession, post_id: ItemId) -> None:
        post = await get_post_or_404(db_session, post_id)
        await db_session.delete(post)
        await db_session.commit()
