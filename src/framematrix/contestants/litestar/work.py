"""/work (RULES.md 36-42): the work its parameters describe, on the SQLAlchemy plugin's session.

The upstream calls are gathered on the loop before the session first needs a connection, so
none is held while they wait; the statements are SQLAlchemy's, shared with FastAPI
(`contestants/sqlalchemy_work.py`). The answer nests posts in a composite, which a model's DTO
cannot describe, so it is a msgspec Struct filled from the ORM objects' attributes
(`msgspec.convert(..., from_attributes=True)`) and encoded by Litestar's msgspec serializer.
"""

from __future__ import annotations

import asyncio

import msgspec
from litestar import get
from litestar.exceptions import NotFoundException
from sqlalchemy.ext.asyncio import AsyncSession

from framematrix.contestants import sqlalchemy_work
from framematrix.contestants.litestar.params import Calls, ComputeMs, Items, Queries, Start, Writes
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
    try:
        post = await sqlalchemy_work.follow(db_session, start, queries)
    except sqlalchemy_work.NoSuchPost:
        raise NotFoundException("Post not found") from None
    await sqlalchemy_work.touch(db_session, start, writes)
    listed = await sqlalchemy_work.first(db_session, items)
    return WorkDone(
        post=msgspec.convert(post, PostView, from_attributes=True) if post else None,
        posts=msgspec.convert(listed, list[PostView], from_attributes=True),
        computed=computed,
    )
