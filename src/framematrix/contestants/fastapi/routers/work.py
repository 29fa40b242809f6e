"""/work (RULES.md 36-42): the work its parameters describe, on SQLAlchemy's async session.

The upstream calls are gathered on the loop before the session first needs a connection, so
none is held while they wait; the statements are SQLAlchemy's, shared with Litestar
(`contestants/sqlalchemy_work.py`).
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException

from framematrix.contestants import sqlalchemy_work
from framematrix.contestants.fastapi.database import SessionDep
from framematrix.contestants.fastapi.params import Calls, ComputeMs, Items, Queries, Start, Writes
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
    try:
        post = await sqlalchemy_work.follow(session, start, queries)
    except sqlalchemy_work.NoSuchPost:
        raise HTTPException(status_code=404, detail="Post not found") from None
    await sqlalchemy_work.touch(session, start, writes)
    listed = await sqlalchemy_work.first(session, items)
    return WorkDone(
        post=PostRead.model_validate(post) if post is not None else None,
        posts=[PostRead.model_validate(item) for item in listed],
        computed=computed,
    )
