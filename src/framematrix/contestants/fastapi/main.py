"""The FastAPI application: routers, pages, the contract's error handlers, the body size limit.

FRAMEMATRIX_PROFILE `hardened` adds the middleware of security.py and a Secure session cookie;
`default` is FastAPI as it comes, plus the session the login page needs.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from framematrix.contestants.fastapi import pages, realtime
from framematrix.contestants.fastapi.database import engine
from framematrix.contestants.fastapi.errors import EXCEPTION_HANDLERS
from framematrix.contestants.fastapi.middleware import MAX_BODY_BYTES, BodySizeLimitMiddleware
from framematrix.contestants.fastapi.routers import authors, images, posts, profiles, work
from framematrix.contestants.fastapi.security import harden
from framematrix.contestants.fastapi.upstream import SETTINGS as UPSTREAM
from framematrix.upstream.calls import AsyncUpstreamClient

PROFILE = os.environ.get("FRAMEMATRIX_PROFILE") or "default"
if PROFILE not in ("default", "hardened"):
    raise RuntimeError(f"FRAMEMATRIX_PROFILE must be default or hardened, not {PROFILE!r}")
# Signs the session cookie. A per-process key serves one worker; several need to share
# FASTAPI_SECRET_KEY, or a login made in one worker is unknown to the next.
SECRET_KEY = os.environ.get("FASTAPI_SECRET_KEY") or secrets.token_urlsafe(32)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, AsyncUpstreamClient]]:
    async with AsyncUpstreamClient(UPSTREAM) as upstream:
        yield {"upstream": upstream}
    await realtime.hub.close()
    await engine.dispose()


app = FastAPI(
    title="framematrix blog API (FastAPI)",
    lifespan=lifespan,
    redirect_slashes=False,  # the contract: /authors/ is an unknown path, never a redirect
    exception_handlers=EXCEPTION_HANDLERS,
)
app.add_middleware(BodySizeLimitMiddleware, max_bytes=MAX_BODY_BYTES)
app.add_middleware(SessionMiddleware, secret_key=SECRET_KEY, https_only=PROFILE == "hardened")
if PROFILE == "hardened":
    harden(app)
# The pages first: `/posts/new` must not reach the API's `/posts/{post_id}` (a 404 there).
app.include_router(pages.router)
app.include_router(authors.router)
app.include_router(posts.router)
app.include_router(profiles.router)
app.include_router(images.router)
app.include_router(work.router)
app.include_router(realtime.router)


@app.get("/health")
async def health() -> dict[str, str]:
    """Liveness only: no database."""
    return {"status": "ok"}
