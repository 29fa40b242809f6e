"""SQLAlchemy 2 models mapped onto framematrix's neutral tables (which framematrix creates)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from framematrix.contestants.flask.extensions import db


class Author(db.Model):  # type: ignore[name-defined]  # stubs type db.Model as a variable
    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254), unique=True)


class Post(db.Model):  # type: ignore[name-defined]  # stubs type db.Model as a variable
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: datetime.now(UTC)
    )

    author: Mapped[Author] = relationship()


class User(db.Model):  # type: ignore[name-defined]  # stubs type db.Model as a variable
    """A login of the web pages; `password_hash` is Werkzeug's `generate_password_hash` output."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id", ondelete="CASCADE"))
