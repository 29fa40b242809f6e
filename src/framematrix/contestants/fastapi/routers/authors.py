"""/authors: list, create, read, replace, update, delete."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from framematrix.contestants.fastapi.database import SessionDep
from framematrix.contestants.fastapi.models import Author
from framematrix.contestants.fastapi.params import ItemId, Limit, Offset
from framematrix.contestants.fastapi.schemas import AuthorCreate, AuthorRead, AuthorUpdate

router = APIRouter(prefix="/authors", tags=["authors"])

EMAIL_TAKEN = "An author with this email already exists"


async def get_author_or_404(session: SessionDep, author_id: int) -> Author:
    author = await session.get(Author, author_id)
    if author is None:
        raise HTTPException(status_code=404, detail="Author not found")
    return author


async def save(session: SessionDep, author: Author) -> None:
    """Commit; the unique constraint on email, not a prior lookup, decides a conflict."""
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise HTTPException(status_code=409, detail=EMAIL_TAKEN) from None


@router.get("", response_model=list[AuthorRead])
async def list_authors(session: SessionDep, limit: Limit = 20, offset: Offset = 0) -> list[Author]:
    result = await session.scalars(select(Author).order_by(Author.id).limit(limit).offset(offset))
    return list(result)


@router.post("", response_model=AuthorRead, status_code=status.HTTP_201_CREATED)
async def create_author(session: SessionDep, author_in: AuthorCreate, response: Response) -> Author:
    author = Author(**author_in.model_dump())
    session.add(author)
    await save(session, author)
    response.headers["Location"] = f"/authors/{author.id}"
    return author


@router.get("/{author_id}", response_model=AuthorRead)
async def read_author(session: SessionDep, author_id: ItemId) -> Author:
    return await get_author_or_404(session, author_id)


@router.put("/{author_id}", response_model=AuthorRead)
async def replace_author(session: SessionDep, author_id: ItemId, author_in: AuthorCreate) -> Author:
    author = await get_author_or_404(session, author_id)
    for field, value in author_in.model_dump().items():
        setattr(author, field, value)
    await save(session, author)
    return author


@router.patch("/{author_id}", response_model=AuthorRead)
async def update_author(session: SessionDep, author_id: ItemId, author_in: AuthorUpdate) -> Author:
    author = await get_author_or_404(session, author_id)
    for field, value in author_in.model_dump(exclude_unset=True).items():
        setattr(author, field, value)
    await save(session, author)
    return author


@router.delete("/{author_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_author(session: SessionDep, author_id: ItemId) -> None:
    """The database's ON DELETE CASCADE removes the author's posts."""
    author = await get_author_or_404(session, author_id)
    await session.delete(author)
    await session.commit()
