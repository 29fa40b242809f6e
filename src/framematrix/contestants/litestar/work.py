"""/work (RULES.md 36-42): the work its parameters describe, on the SQLAlchemy plugin's session.

The upstream calls are gathered on the loop before the session first needs a connection, so
none is held while they wait. Each read is a `select` (which always runs, where `session.get`
could answer from the identity map); the writes are ORM `update()`s committed together. The
answer nests posts in a composite, which a model's DTO cannot describe, so it is a msgspec
Struct filled from the ORM objects' attributes (`msgspec.convert(..., from_attributes=True)`)
and encoded by Litestar's msgspec serializer.
"""

from __future__ import annotations

import asyncio

import msgspec
from litestar import get
from litestar.exceptions import NotFoundException
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from framematrix.contestants.fastapi.models import Post
from framematrix.contestants.litestar.params import Calls, ComputeMs, Items, Queries, Start, Writes
from framematrix.contestants.litestar.posts import WITH_AUTHOR
from framematrix.contestants.litestar.schemas import PostView, WorkDone
from framematrix.contestants.litestar.upstream import UPSTREAM
from framematrix.contract import work
from framematrix.upstream.calls import AsyncUpstreamClient


@get("/work", dependencies={"upstream": UPSTREAM}, tags=["work"])
async def do_work(
    db_session: AsyncSession,
    upstream: AsyncUpstreamClient,
    queries: Queries = Queries(0),
    writes: Writes = Writes(0),
    calls: Calls = Calls(0),
    compute_ms: ComputeMs = ComputeMs(0),
    items: Items = Items(0),
    start: Start = Start(1),
) -> WorkDone:
    await asyncio.gather(*(upstream.fetch_profile(start) for _ in range(calls)))
    computed = work.compute(compute_ms)
    post = None
    ident = int(start)
    for _ in range(queries):
        post = await db_session.scalar(select(Post).options(WITH_AUTHOR).where(Post.id == ident))
        if post is None:
            raise NotFoundException("Post not found")
        ident = post.author_id
    if writes:
        for offset in range(writes):
            touch = update(Post).where(Post.id == start + offset).values(title=Post.title)
            await db_session.execute(touch.execution_options(synchronize_session=False))
        await db_session.commit()
    listed: list[Post] = []
    if items:
        query = select(Post).options(WITH_AUTHOR).order_by(Post.id).limit(items)
        listed = list(await db_session.scalars(query))
    return WorkDone(
        post=msgspec.convert(post, PostView, from_attributes=True) if post else None,
        posts=msgspec.convert(listed, list[PostView], from_attributes=True),
        computed=computed,
    )
