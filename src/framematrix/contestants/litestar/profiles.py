"""/authors/{id}/profile: the author from the database, their profile from the upstream."""

from __future__ import annotations

from litestar import Controller, get
from sqlalchemy.ext.asyncio import AsyncSession

from framematrix.contestants.litestar.authors import get_author_or_404
from framematrix.contestants.litestar.params import ItemId
from framematrix.contestants.litestar.schemas import AuthorView, Profile
from framematrix.contestants.litestar.upstream import UPSTREAM
from framematrix.upstream.calls import AsyncUpstreamClient


class ProfileController(Controller):
    path = "/authors"
    tags = ["authors"]
    dependencies = {"upstream": UPSTREAM}

    @get("/{author_id:str}/profile")
    async def read_author_profile(
        self, db_session: AsyncSession, upstream: AsyncUpstreamClient, author_id: ItemId
    ) -> Profile:
        author = await get_author_or_404(db_session, author_id)
        # A session holds its connection until it ends: give it back to the pool before
        # waiting on another service, or the pool (5 + 10 per worker) caps how many can wait.
        await db_session.close()
        profile = await upstream.fetch_profile(author_id)  # a failure: errors.upstream_error
        view = AuthorView(id=author.id, name=author.name, email=author.email)
        return Profile(author=view, profile=profile)
