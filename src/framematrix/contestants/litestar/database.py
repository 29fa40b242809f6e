"""The async engine and Litestar's SQLAlchemy plugin, which injects one `AsyncSession` per
request as the `db_session` dependency and closes it after the response.

The engine is made here rather than from a connection string so that SQLite connections get the
contract's pragmas; the models are the FastAPI contestant's, plain SQLAlchemy on the neutral
tables (`fastapi/models.py` imports nothing of FastAPI).
"""

from __future__ import annotations

from advanced_alchemy.extensions.litestar import (
    AsyncSessionConfig,
    SQLAlchemyAsyncConfig,
    SQLAlchemyPlugin,
)
from sqlalchemy import event
from sqlalchemy.ext.asyncio import create_async_engine

from framematrix.db.pragmas import set_sqlite_pragmas
from framematrix.db.url import DatabaseURL

DATABASE_URL = DatabaseURL.from_env()

# SQLAlchemy's default pool, 5 connections + 10 overflow per worker (as the other contestants').
engine = create_async_engine(DATABASE_URL.sqlalchemy(asyncio=True))

if DATABASE_URL.is_sqlite:
    event.listen(engine.sync_engine, "connect", set_sqlite_pragmas)


# expire_on_commit=False: after a commit the objects stay readable without another query, which
# an async session needs (it cannot lazy-load an expired attribute) and the DTOs read.
config = SQLAlchemyAsyncConfig(
    engine_instance=engine,
    session_config=AsyncSessionConfig(expire_on_commit=False),
    create_all=False,  # framematrix owns the schema
)
plugin = SQLAlchemyPlugin(config=config)
