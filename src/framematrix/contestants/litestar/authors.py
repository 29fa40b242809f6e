"""/authors: list, create, read, replace, update, delete."""

from __future__ import annotations

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.exceptions import HTTPException, NotFoundException
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from framematrix.contestants.fastapi.models import Author
from framematrix.contestants.litestar.errors import empty_patch
from framematrix.contestants.litestar.params import ItemId, Limit, Offset
from framematrix.contestants.litestar.schemas import AuthorIn, AuthorOut, AuthorPatch

EMAIL_TAKEN = "An author with this email already exists"


async def get_author_or_404(db_session: AsyncSession, author_id: int) -> Author:
    author = await db_session.get(Author, author_id)
    if author is None:
        raise NotFoundException("Author not found")
    return author


async def save(db_session: AsyncSession) -> None:
    """Commit; the unique constraint on email, not a prior lookup, decides a conflict."""
    try:
        await db_session.commit()
    except IntegrityError:
        await db_session.rollback()
        raise HTTPException(status_code=409, detail=EMAIL_TAKEN) from None


class AuthorController(Controller):
    path = "/authors"
    tags = ["authors"]
    return_dto = AuthorOut

    @get()
    async def list_authors(
        self, db_session: AsyncSession, limit: Limit = Limit(20), offset: Offset = Offset(0)
    ) -> list[Author]:
        query = select(Author).order_by(Author.id).limit(limit).offset(offset)
        return list(await db_session.scalars(query))

    @post()
    async def create_author(self, db_session: AsyncSession, data: AuthorIn) -> Response[Author]:
        author = Author(**data.changes())
        db_session.add(author)
        await save(db_session)
        return Response(author, status_code=201, headers={"Location": f"/authors/{author.id}"})

    @get("/{author_id:str}")
    async def read_author(self, db_session: AsyncSession, author_id: ItemId) -> Author:
        return await get_author_or_404(db_session, author_id)

    @put("/{author_id:str}")
    async def replace_author(
        self, db_session: AsyncSession, author_id: ItemId, data: AuthorIn
    ) -> Author:
        author = await get_author_or_404(db_session, author_id)
        for field, value in data.changes().items():
            setattr(author, field, value)
        await save(db_session)
        return author

    @patch("/{author_id:str}")
    async def update_author(
        self, db_session: AsyncSession, author_id: ItemId, data: AuthorPatch
    ) -> Author:
        changes = data.changes()
        if not changes:
            raise empty_patch()
        author = await get_author_or_404(db_session, author_id)
        for field, value in changes.items():
            setattr(author, field, value)
        await save(db_session)
        return author

    @delete("/{author_id:str}", return_dto=None)
    async def delete_author(self, db_session: AsyncSession, author_id: ItemId) -> None:
        """The database's ON DELETE CASCADE removes the author's posts."""
        author = await get_author_or_404(db_session, author_id)
        await db_session.delete(author)
        await db_session.commit()
