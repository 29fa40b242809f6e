"""/work's database part on SQLAlchemy's async session, for FastAPI and Litestar.

Both reach the database through SQLAlchemy 2's `AsyncSession`, so these statements are
SQLAlchemy's, not either framework's: they share them as they share the models and the fan-out
(`broadcast.py`), and each answers a missing post with its own 404. Each read is a `select`
(which always runs, where `session.get` could answer from the identity map); the writes are ORM
`update()`s committed together.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from framematrix.contestants.fastapi.models import Post

WITH_AUTHOR = joinedload(Post.author, innerjoin=True)


class NoSuchPost(LookupError):
    """A dependent read found no post."""


async def follow(session: AsyncSession, start: int, queries: int) -> Post | None:
    """`queries` dependent reads from post `start`: each a post with its author, the next one
    the post whose id is that author's (rule 39). None when none was asked."""
    post = None
    ident = start
    for _ in range(queries):
        post = await session.scalar(select(Post).options(WITH_AUTHOR).where(Post.id == ident))
        if post is None:
            raise NoSuchPost(ident)
        ident = post.author_id
    return post


async def touch(session: AsyncSession, start: int, writes: int) -> None:
    """`writes` updates of posts from `start` on, in one transaction (rule 40)."""
    if not writes:
        return
    for offset in range(writes):
        statement = update(Post).where(Post.id == start + offset).values(title=Post.title)
        await session.execute(statement.execution_options(synchronize_session=False))
    await session.commit()


async def first(session: AsyncSession, items: int) -> list[Post]:
    """The first `items` posts with their authors (rule 41)."""
    if not items:
        return []
    query = select(Post).options(WITH_AUTHOR).order_by(Post.id).limit(items)
    return list(await session.scalars(query))
