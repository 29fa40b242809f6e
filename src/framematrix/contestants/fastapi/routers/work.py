"""/work (RULES.md 36-42): the work its parameters describe, on SQLAlchemy's async session.

The upstream calls are gathered on the loop before the session first needs a connection, so
none is held while they wait. Each read is a `select` (which always runs, where `session.get`
could answer from the identity map); the writes are ORM `update()`s committed together.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException
from sqlalchemy import select, update

from framematrix.contestants.fastapi.database import SessionDep
from framematrix.contestants.fastapi.models import Post
from framematrix.contestants.fastapi.params import Calls, ComputeMs, Items, Queries, Start, Writes
from framematrix.contestants.fastapi.routers.posts import WITH_AUTHOR
from framematrix.contestants.fastapi.schemas import PostRead, WorkDone
from framematrix.contestants.fastapi.upstream import UpstreamDep
from framematrix.contract import work

router = APIRouter(prefix="/work", tags=["work"])


@router.get("", response_model=WorkDone)
async def do_work(
    session: SessionDep,
    upstream: UpstreamDep,
    queries: Queries = 0,
    writes: Writes = 0,
    calls: Calls = 0,
    compute_ms: ComputeMs = 0,
    items: Items = 0,
    start: Start = 1,
) -> WorkDone:
    await asyncio.gather(*(upstream.fetch_profile(start) for _ in range(calls)))
    computed = work.compute(compute_ms)
    post = None
    ident = start
    for _ in range(queries):
        post = await session.scalar(select(Post).options(WITH_AUTHOR).where(Post.id == ident))
        if post is None:
            raise HTTPException(status_code=404, detail="Post not found")
        ident = post.author_id
    if writes:
        for offset in range(writes):
            touch = update(Post).where(Post.id == start + offset).values(title=Post.title)
            await session.execute(touch.execution_options(synchronize_session=False))
        await session.commit()
    listed = []
    if items:
        query = select(Post).options(WITH_AUTHOR).order_by(Post.id).limit(items)
        listed = list(await session.scalars(query))
    return WorkDone(
        post=PostRead.model_validate(post) if post is not None else None,
        posts=[PostRead.model_validate(item) for item in listed],
        computed=computed,
    )
