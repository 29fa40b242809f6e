"""/authors/{id}/profile: the author from the database, their profile from the upstream."""

from __future__ import annotations

from fastapi import APIRouter

from framematrix.contestants.fastapi.database import SessionDep
from framematrix.contestants.fastapi.params import ItemId
from framematrix.contestants.fastapi.routers.authors import get_author_or_404
from framematrix.contestants.fastapi.schemas import AuthorProfile, AuthorRead
from framematrix.contestants.fastapi.upstream import UpstreamDep

router = APIRouter(prefix="/authors", tags=["authors"])


@router.get("/{author_id}/profile", response_model=AuthorProfile)
async def read_author_profile(
    session: SessionDep, upstream: UpstreamDep, author_id: ItemId
) -> AuthorProfile:
    author = await get_author_or_404(session, author_id)
    # A session holds its connection until it ends: give it back to the pool before waiting
    # on another service, or the pool (5 + 10 per worker) caps how many requests can wait.
    await session.close()
    profile = await upstream.fetch_profile(author_id)  # a failure: errors.upstream_error_handler
    return AuthorProfile(author=AuthorRead.model_validate(author), profile=profile)
