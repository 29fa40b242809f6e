"""The Litestar application: controllers, the SQLAlchemy plugin, the contract's error handlers,
the body size limit and the integer type decoder."""

from __future__ import annotations

from litestar import Litestar, get
from litestar.middleware import DefineMiddleware

from framematrix.contestants.litestar import (
    database,
    errors,
    images,
    params,
    realtime,
    upstream,
    work,
)
from framematrix.contestants.litestar.authors import AuthorController
from framematrix.contestants.litestar.posts import PostController
from framematrix.contestants.litestar.profiles import ProfileController

MAX_BODY_BYTES = 1_048_576


@get("/health")
async def health() -> dict[str, str]:
    """Liveness only: no database."""
    return {"status": "ok"}


app = Litestar(
    route_handlers=[
        health,
        AuthorController,
        PostController,
        ProfileController,
        images.resize_image,
        work.do_work,
        realtime.device,
        realtime.live,
    ],
    plugins=[database.plugin],
    lifespan=[upstream.lifespan],
    on_shutdown=[realtime.hub.close],
    exception_handlers=errors.EXCEPTION_HANDLERS,
    middleware=[DefineMiddleware(errors.contract_paths)],
    type_decoders=params.TYPE_DECODERS,
    request_max_body_size=MAX_BODY_BYTES,
)
