"""The async engine, the session factory and the `SessionDep` dependency.

One engine per worker process, created when the app is imported, as FastAPI's SQL guide does;
the URL comes from FRAMEMATRIX_DB_URL so every contestant reaches the same database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from framematrix.db.pragmas import set_sqlite_pragmas
from framematrix.db.url import DatabaseURL

DATABASE_URL = DatabaseURL.from_env()

# SQLAlchemy's default pool, 5 connections + 10 overflow per worker (as Flask-SQLAlchemy's).
engine = create_async_engine(DATABASE_URL.sqlalchemy(asyncio=True))

if DATABASE_URL.is_sqlite:
    event.listen(engine.sync_engine, "connect", set_sqlite_pragmas)


# expire_on_commit=False: after a commit the objects stay readable without another query,
# which async SQLAlchemy needs (it cannot lazy-load an expired attribute).
async_session = async_sessionmaker(engine, expire_on_commit=False)


async def get_session() -> AsyncIterator[AsyncSession]:
    """One session per request, closed (and any open transaction rolled back) afterwards."""
    async with async_session() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]
